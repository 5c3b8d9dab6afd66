{{ config(schema='quality') }}
-- Which rows of the population table may be published (docs/disclosure-control.md). A cell is
-- one row (activity x cohort x outcome x period): its n, values, difference and interval are
-- shown or hidden together, so the relations inside a row (numerator / denominator,
-- participants - comparison = difference) cannot give a hidden figure back. Between rows the
-- table publishes one additive relation: per cohort, before + change = after (the change is
-- after - before per person, exact when the same persons are measured in both periods). No
-- totals across cohorts, activities or participants + comparison are published.
with mart as (
    select * from {{ ref('mart_population_indicator') }}
),

cells as (
    select
        plan_code || ' | ' || activity_code || ' | ' || cohort_year || ' | ' || outcome_kind || ' | ' || period_kind
            as cell_id,
        plan_code || ' | ' || activity_code || ' | ' || cohort_year || ' | ' || outcome_kind as cohort_key,
        plan_code, activity_code, cohort_year, outcome_kind, period_kind,
        n_participants as cost,
        case
            when n_participants between 1 and {{ var('small_n_threshold') }} - 1
                then 'færre end {{ var("small_n_threshold") }} deltagere med en måling'
            when n_comparison between 1 and {{ var('small_n_threshold') }} - 1
                then 'færre end {{ var("small_n_threshold") }} personer i sammenligningsgruppen'
            -- a share shows how many participants have the outcome, and how many do not
            when value_kind = 'share' and period_kind <> 'change'
                 and ({{ is_small_count('participants_numerator') }}
                      or {{ is_small_count('n_participants - participants_numerator') }})
                then 'færre end {{ var("small_n_threshold") }} deltagere med (eller uden) udfaldet'
            -- the same for the comparison group: its share times its n gives its count back
            -- (exactly where it is matched in one stratum, approximately otherwise)
            when value_kind = 'share' and period_kind <> 'change'
                 and ({{ is_small_count('comparison_value * n_comparison / 100') }}
                      or {{ is_small_count('n_comparison - comparison_value * n_comparison / 100') }})
                then 'færre end {{ var("small_n_threshold") }} i sammenligningsgruppen med (eller uden) udfaldet'
        end as primary_reason_da
    from mart
    -- a row without participants publishes no figure, so it is neither hidden nor a relation member
    where n_participants > 0
),

primary_cells as (
    select cell_id, cost, primary_reason_da is not null as is_primary from cells
),

members as (
    -- before + change = after, where the cohort publishes all three
    select cohort_key || ': før + ændring = efter' as relation_id, cell_id, period_kind = 'after' as is_parent
    from cells
    qualify count(*) over (partition by cohort_key) = 3
),

suppression as (
    {{ secondary_suppression('primary_cells', 'members') }}
)

select
    c.plan_code,
    c.activity_code,
    c.cohort_year,
    c.outcome_kind,
    c.period_kind,
    {{ disclosure_decision_columns('c', 's') }}
from cells as c
join suppression as s using (cell_id)
