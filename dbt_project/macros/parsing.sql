{#-
  Macros for the staging layer: typing, and the lineage columns every staging model keeps.

  The raw layer holds every cell as the text delivered (validated by pandera against
  ingestion/contract.py; an empty field is NULL). Staging models turn that text into typed
  columns with these macros, passing the source's format from the contract, so that a format
  is handled the same way wherever it occurs.
-#}

{#-
  parse_decimal(col, decimal_mark=',', thousands=none) -> DOUBLE

  Removes the thousands separator, then turns the decimal mark into '.':
  parse_decimal('x', ',', '.') reads Danish '1.234,5' as 1234.5; parse_decimal('x', '.') reads
  '72.5' as 72.5. A value that is still not a number fails the query instead of becoming NULL.
-#}
{% macro parse_decimal(col, decimal_mark=',', thousands=none) -%}
    {%- set expr = 'trim(' ~ col ~ ')' -%}
    {%- if thousands -%}{%- set expr = "replace(" ~ expr ~ ", '" ~ thousands ~ "', '')" -%}{%- endif -%}
    {%- if decimal_mark != '.' -%}{%- set expr = "replace(" ~ expr ~ ", '" ~ decimal_mark ~ "', '.')" -%}{%- endif -%}
    cast({{ expr }} as double)
{%- endmacro %}


{#-
  parse_date(col, format='%Y-%m-%d') -> DATE

  format is the contract's date_format (strftime codes), e.g. '%d-%m-%Y' for Lejerbo.
-#}
{% macro parse_date(col, format='%Y-%m-%d') -%}
    cast(strptime({{ col }}, '{{ format }}') as date)
{%- endmacro %}


{#- parse_month(col) -> DATE: the first day of a 'YYYY-MM' month (contract dtype "month"). -#}
{% macro parse_month(col) -%}
    cast(strptime({{ col }}, '%Y-%m') as date)
{%- endmacro %}


{#- parse_flag(col) -> BOOLEAN: the contract's J/N codes (ja/nej); NULL stays NULL. -#}
{% macro parse_flag(col) -%}
    case {{ col }} when 'J' then true when 'N' then false end
{%- endmacro %}


{#-
  Markers of the published tables, as in ingestion/contract.py (DST_MARKERS, LBF_MARKERS):
  the text in a cell -> what it means. '' stands for an empty cell, which the raw layer holds
  as NULL. tests/test_staging_models.py checks that these agree with the contract.
-#}
{% macro published_markers(provider) -%}
    {%- set markers = {
        'dst': {'..': 'suppressed', '-': 'not_available'},
        'lbf': {'*': 'suppressed', '': 'not_available'},
    } -%}
    {{ return(markers[provider]) }}
{%- endmacro %}


{#-
  value_marker(col, markers) -> VARCHAR: 'suppressed', 'not_available' or NULL for a number.
  markers is published_markers('dst') or published_markers('lbf').
-#}
{% macro value_marker(col, markers) -%}
    case
    {%- for text, meaning in markers.items() -%}
        {%- if text == '' %} when {{ col }} is null or trim({{ col }}) = '' then '{{ meaning }}'
        {%- else %} when trim({{ col }}) = '{{ text }}' then '{{ meaning }}'
        {%- endif -%}
    {%- endfor %} end
{%- endmacro %}


{#-
  published_value(col, markers, decimal_mark=',', thousands=none) -> DOUBLE

  The number in a published cell, or NULL where the cell holds a marker (see value_marker).
-#}
{% macro published_value(col, markers, decimal_mark=',', thousands=none) -%}
    case when ({{ value_marker(col, markers) }}) is null then {{ parse_decimal(col, decimal_mark, thousands) }} end
{%- endmacro %}


{#-
  delivery_lineage() -> the four lineage columns the loader adds to every raw row (ingestion/loader.py),
  renamed alike in every staging model: which yearly extract, file and line a row came from and when
  it was loaded. Every published figure traces back to them.
-#}
{% macro delivery_lineage() -%}
    _extract_year as extract_year,
    _source_file as source_file,
    _source_row as source_row,
    _loaded_at as loaded_at
{%- endmacro %}
