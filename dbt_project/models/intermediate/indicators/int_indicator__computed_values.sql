-- Person-level indicators aggregated to every geography the persons count towards, in the
-- indicator's unit. The only place person-level rows become aggregates.
--
-- Aggregated per area first (each person has one residence per 1 January: the CPR stock is
-- unique per person and year, a tested contract), then the dozen area aggregates are rolled up
-- to the geographies through int_area__geographies, instead of joining every person-level row
-- to every geography.
--
-- n counts rows: every person model returns one row per person, indicator and period (the
-- contract in macros/indicator_models.sql; the models are those the registry names in
-- computed_by, person_indicator_models() in macros/indicator_registry.sql; those built on
-- residents or grouped rows are unique by construction, the two on delivered rows are tested
-- in person/_person_indicators.yml), so rows are distinct persons, and a person lies in one
-- area per indicator and period because the period is derived from the membership year. A
-- distinct count over ten million rows is what made this model spill under the memory cap.
-- One DuckDB thread for this query: the stacked person views run as one plan, and with two
-- threads its hash tables outgrew the memory cap and spilled (20 s instead of 5 s at Randers).
--
-- Incremental by membership year (macros/incremental_years.sql): a refresh that adds a year
-- recomputes, per person indicator model, only the years its changed deliveries can reach.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook=["set threads = 1",
              "{{ delete_years_to_rebuild(person_indicator_models(), 'membership_year', 'person_model',
                                          shared=['int_person__residence_year']) }}"],
    post_hook=["reset threads", "{{ save_rebuild_inputs() }}"],
) }}
{#- every partition is placed in areas by the residences -#}
{%- set rebuild = years_to_rebuild(person_indicator_models(), shared=['int_person__residence_year']) %}
-- The model a row comes from is carried as its position in the list (a model name on every
-- person-level row made the aggregation run out of memory under the 256 MB cap).
with person_values as (
    {% for model in person_indicator_models() -%}
    select {{ loop.index }} as person_model_no, * from ({{ person_indicator_rows(model, rebuild.get(model)) }})
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

residence as (
    select person_key, year, area_code from {{ ref('int_person__residence_year') }}
),

area_geographies as (
    select area_code, geography_code from {{ ref('int_area__geographies') }}
),

catalogue as (
    select indicator_id, unit_factor, unit from {{ ref('int_catalogue__indicators') }}
),

by_area as (
    select
        v.indicator_id,
        r.area_code,
        v.period,
        -- one model and one membership year per indicator and period: the partition of the row
        min(v.person_model_no) as person_model_no,
        min(v.membership_year) as membership_year,
        min(v.period_start) as period_start,
        max(v.period_end) as period_end,
        count(*) as n,
        -- persons behind the numerator and behind its complement: disclosure control is
        -- decided on persons, never on the weighted sums (months, full-time persons, days)
        count(*) filter (where v.weight * v.value <> 0) as n_persons_with,
        count(*) filter (where v.weight * (1 - v.value) <> 0) as n_persons_without,
        sum(v.weight * v.value) as numerator,
        sum(v.weight) as denominator,
        sum(v.weight * v.value * v.value) as weighted_sum_of_squares
    from person_values as v
    join residence as r
        on r.person_key = v.person_key
        and r.year = v.membership_year
    {#- --vars '{indicator_ids: [...]}' computes only those indicators (the bench's subset): the
        filter reaches the person views' branches by their constant indicator_id, so the
        others are never computed. Default: every indicator. #}
    {%- set only = var('indicator_ids', none) %}
    {%- if only %}
    where v.indicator_id in ({% for id in only %}'{{ id }}'{% if not loop.last %}, {% endif %}{% endfor %})
    {%- endif %}
    group by all
),

aggregated as (
    select
        b.indicator_id,
        g.geography_code,
        b.period,
        min(b.person_model_no) as person_model_no,
        min(b.membership_year) as membership_year,
        min(b.period_start) as period_start,
        max(b.period_end) as period_end,
        cast(sum(b.n) as bigint) as n,
        cast(sum(b.n_persons_with) as bigint) as n_persons_with,
        cast(sum(b.n_persons_without) as bigint) as n_persons_without,
        sum(b.numerator) as numerator,
        sum(b.denominator) as denominator,
        sum(b.weighted_sum_of_squares) as weighted_sum_of_squares
    from by_area as b
    join area_geographies as g
        on g.area_code is not distinct from b.area_code
    group by all
)

select
    a.* exclude (person_model_no, n),
    -- a count's n is the persons it counts (0 for a true 0), as published before count models
    -- gave everyone in the population a row: the population is the share's n beside it, and a
    -- count of 0 over a population of 1-2 is not a cell of 1-2 persons
    case when c.unit = 'count' then a.n_persons_with else a.n end as n,
    {{ tojson(person_indicator_models()) | replace('"', "'") }}[a.person_model_no] as person_model,
    {{ indicator_value('a.numerator', 'a.denominator', 'c.unit', 'c.unit_factor') }} as value,
    'computed' as source_kind
from aggregated as a
-- a left join: an id the catalogue lacks (a misspelling in a model) keeps its rows, with no
-- value, and fails is_registered_indicator (_indicators.yml) instead of vanishing
left join catalogue as c using (indicator_id)
