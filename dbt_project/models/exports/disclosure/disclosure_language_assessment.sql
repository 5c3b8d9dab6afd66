{{ config(schema='quality') }}
-- Which counts of the language table may be published (docs/disclosure-control.md): each
-- geography and year has four cells, generel + fokuseret + særlig = antal vurderede, and each
-- of them adds up across the plan's areas, all areas and the municipality.
with mart as (
    select * from {{ ref('mart_language_assessment') }}
),

long as (
    select geography_code, assessment_year, category, n
    from (select geography_code, assessment_year, n_generel, n_fokuseret, n_saerlig, n_assessed as n_total from mart)
    unpivot (n for category in (n_generel as 'generel', n_fokuseret as 'fokuseret', n_saerlig as 'saerlig', n_total as 'total'))
),

cells as (
    select
        l.geography_code || ' | ' || l.assessment_year || ' | ' || l.category as cell_id,
        l.assessment_year || ' | ' || l.category as group_key,
        l.geography_code,
        l.assessment_year,
        l.category,
        l.n as cost,
        case
            when {{ is_small_count('t.n') }}
                then 'færre end {{ var("small_n_threshold") }} vurderede børn i alt'
            when {{ is_small_count('l.n') }}
                then 'færre end {{ var("small_n_threshold") }} børn i kategorien'
        end as primary_reason_da
    from long as l
    -- a share of fewer than threshold children assessed would show them one by one
    join long as t
        on t.geography_code = l.geography_code and t.assessment_year = l.assessment_year and t.category = 'total'
),

primary_cells as (
    select cell_id, cost, primary_reason_da is not null as is_primary from cells
),

members as (
    {{ geography_relation_members('cells') }}
    union all
    -- generel + fokuseret + særlig = the number assessed
    select geography_code || ' | ' || assessment_year || ': kategorierne = antal vurderede',
           cell_id, category = 'total'
    from cells
),

suppression as (
    {{ secondary_suppression('primary_cells', 'members') }}
)

select
    c.geography_code,
    c.assessment_year,
    c.category,
    {{ disclosure_decision_columns('c', 's') }}
from cells as c
join suppression as s using (cell_id)
