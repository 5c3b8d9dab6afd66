{#-
  The address rule of the area model, shared by every model that places an address in an area.

  A printed range in the plan ("Garnisonsvej 1-3 (ulige numre)", "Mariagervej 28 - 36 (a&b, lige
  numre)") is one row of the seed area_address_ranges. An address (street, house number, letter)
  is covered by a range when
    * the number lies in number_from..number_to (both inclusive; a single number has from = to),
    * the number has the range's parity ('all' covers both sides of the street), and
    * letters is empty (the number itself with or without any letter, e.g. 12 and 12B), or the
      upper-cased letter is one of the pipe-separated letters ('A|B|C' covers 5A, 5B, 5C but not
      the bare number 5).
  demo/areas.py mirrors these rules in Python; tests/test_address_ranges.py checks that the
  two agree.
-#}

{#-
  address_in_range(number_col, letter_col, range_alias) -> SQL boolean

  number_col must be an integer expression; letter_col a text expression (NULL or '' = no letter).
  range_alias is the alias of a relation with the columns of the seed (int_area__address_ranges
  or the seed itself). The street is compared by the caller, so the macro can also be used in a
  join that has already matched the street.
-#}
{% macro address_in_range(number_col, letter_col, range_alias) -%}
(
    {{ number_col }} between {{ range_alias }}.number_from and {{ range_alias }}.number_to
    and (
        {{ range_alias }}.parity = 'all'
        or ({{ range_alias }}.parity = 'odd' and {{ number_col }} % 2 = 1)
        or ({{ range_alias }}.parity = 'even' and {{ number_col }} % 2 = 0)
    )
    and (
        {{ range_alias }}.letters is null
        -- Delimit both sides with '|' so that 'A' can only match a whole entry of 'A|B|C';
        -- coalesce turns a missing letter into "not covered" instead of NULL.
        or coalesce(
            position('|' || upper(trim({{ letter_col }})) || '|' in '|' || {{ range_alias }}.letters || '|') > 0,
            false
        )
    )
)
{%- endmacro %}


{#-
  area_code_for_address(street_col, number_col, letter_col) -> area_code or NULL

  A correlated scalar subquery for use in a select list:
      select a.*, {{ area_code_for_address('a.street_name', 'a.house_number', 'a.house_letter') }} as area_code
      from ... as a
  Streets are compared case- and edge-whitespace-insensitively (street_key). The ranges of
  different areas do not overlap (tests/test_address_ranges.py checks it), so at most one area
  matches; should an overlap ever be introduced, DuckDB fails the query ("More than one row
  returned by a subquery") rather than picking an area at random, which is what we want.
-#}
{% macro area_code_for_address(street_col, number_col, letter_col) -%}
(
    -- distinct: two ranges of the same area may meet on an address without harm.
    select distinct r.area_code
    from {{ ref('int_area__address_ranges') }} as r
    where r.street_key = lower(trim({{ street_col }}))
      and {{ address_in_range(number_col, letter_col, 'r') }}
)
{%- endmacro %}
