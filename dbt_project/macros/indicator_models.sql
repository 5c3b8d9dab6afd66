{#- Column shapes of the two kinds of indicator model, so a model that has nothing yet (or a
    test) can return an empty relation of the right shape. -#}
{% macro empty_person_indicator() -%}
select
    null::varchar as indicator_id, null::varchar as person_key, null::varchar as period,
    null::date as period_start, null::date as period_end, null::integer as membership_year,
    null::double as weight, null::double as value
where false
{%- endmacro %}

{% macro empty_area_indicator() -%}
select
    null::varchar as indicator_id, null::varchar as geography_code, null::varchar as period,
    null::date as period_start, null::date as period_end,
    null::double as numerator, null::double as denominator, null::bigint as n,
    null::integer as areas_missing
where false
{%- endmacro %}

{#- An indicator's value in its unit: a count is its numerator, everything else the ratio
    times the unit's factor (100 for percent, 1,000 for per mille); NULL without a denominator.
    Rounded to 10 decimals: DuckDB sums doubles in parallel in no fixed order, so the last bits
    of a sum vary between runs; a value on a rounding boundary (13.35) would otherwise print as
    13,3 in one refresh and 13,4 in the next. -#}
{% macro indicator_value(numerator, denominator, unit, unit_factor) -%}
    round(case
        when {{ unit }} = 'count' then {{ numerator }}
        when {{ denominator }} > 0 then {{ unit_factor }} * {{ numerator }} / {{ denominator }}
    end, 10)
{%- endmacro %}

{#- The person-level indicator models (tag person_indicator), stacked and aggregated by
    int_indicator__computed_values. Each returns exactly one row per person and period with
    the columns of person_indicator_rows, for every person of the indicator's population: a
    count too (value 0 outside the group), so an area with nobody in the group has a row and
    counts a true 0, with n the persons behind it. A new
    person-level indicator is a catalogue row plus one such model, listed here
    (tests/test_indicator_catalogue.py checks the list against the models' tags). -#}
{% macro person_indicator_models() -%}
{%- set person_indicator_models = [
    'int_indicator__language',
    'int_indicator__school_absence',
    'int_indicator__youth_education',
    'int_indicator__youth_school',
    'int_indicator__daycare_language',
    'int_indicator__placements',
    'int_indicator__labour_market',
    'int_indicator__kontanthjaelp',
    'int_indicator__population_profile',
] -%}
{{ return(person_indicator_models) }}
{%- endmacro %}

{#- One person indicator model's rows in the contract's types:
      indicator_id, person_key, period, period_start, period_end,
      membership_year  the 1 January stock that places the person in geographies,
      weight           the person's contribution to the denominator (1, or e.g. months enrolled),
      value            the person's value: 0/1 for a share, days, a grade ...
    from_year limits the rows to membership years from that year on (an incremental build). -#}
{% macro person_indicator_rows(model, from_year=none) -%}
select
    cast(indicator_id as varchar) as indicator_id,
    cast(person_key as varchar) as person_key,
    cast(period as varchar) as period,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end,
    cast(membership_year as integer) as membership_year,
    cast(weight as double) as weight,
    cast(value as double) as value
from {{ ref(model) }}
{%- if from_year is not none %}
where membership_year >= {{ from_year }}
{%- endif %}
{%- endmacro %}
