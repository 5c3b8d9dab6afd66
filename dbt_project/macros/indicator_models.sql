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
