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
