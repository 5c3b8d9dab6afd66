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

{#- The person-level indicator models, stacked and aggregated by int_indicator__computed_values,
    are those the registry names (person_indicator_models() in macros/indicator_registry.sql,
    generated from the seeds' computed_by). Each returns exactly one row per person and period
    with the columns of person_indicator_rows, for every person of the indicator's population: a
    count too (value 0 outside the group), so an area with nobody in the group has a row and
    counts a true 0, with n the persons behind it. A new person-level indicator is a catalogue
    row naming one such model in computed_by (docs/indicator-catalogue.md). -#}

{#- Registry test on a seed's computed_by: every model it names is in the generated lists (the
    lists are refs, so they exist). Fails when a seed row changed without
    `python -m orchestration.indicator_registry`. -#}
{% test names_registered_models(model, column_name) -%}
with named as (
    select unnest(string_split({{ column_name }}, ';')) as model_name
    from {{ model }}
    where {{ column_name }} is not null
)
select trim(model_name) as model_name
from named
where trim(model_name) not in (
    {%- for m in person_indicator_models() + area_indicator_models() + cohort_outcome_models() %}
    '{{ m }}'{% if not loop.last %},{% endif %}
    {%- endfor %}
)
{%- endtest %}

{#- Registry test on a stacked indicator relation: every indicator_id a model produces is a
    catalogue row that names this model in computed_by. A misspelled id (in no catalogue row)
    or an id another model is registered for fails here instead of vanishing in a join. -#}
{% test is_registered_indicator(model, column_name, model_column) -%}
with produced as (
    select distinct {{ column_name }} as indicator_id, {{ model_column }} as model_name
    from {{ model }}
)
select
    p.indicator_id,
    p.model_name,
    case when c.indicator_id is null then 'not in the catalogue'
         else 'the catalogue names ' || coalesce(c.computed_by, 'no model') end as problem
from produced as p
left join {{ ref('int_catalogue__indicators') }} as c using (indicator_id)
where c.indicator_id is null
   or not list_contains(string_split(replace(coalesce(c.computed_by, ''), ' ', ''), ';'), p.model_name)
{%- endtest %}

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
