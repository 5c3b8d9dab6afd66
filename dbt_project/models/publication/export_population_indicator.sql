-- mart_population_indicator as published: aggregates only, after disclosure control
-- (docs/disclosure-control.md). quality.disclosure_population_indicator decides which rows are
-- hidden, primary (fewer than var('small_n_threshold') participants or comparison persons, or a
-- share whose participants with or without the outcome number 1 to threshold - 1) and secondary
-- (before + change = after per cohort). A hidden row shows no n, value, difference or interval,
-- and says only that it is hidden, never whether for few persons or for subtraction.
-- Cohort sizes of 1 to threshold - 1 are withheld.
with mart as (
    select * from {{ ref('mart_population_indicator') }}
),

suppressed as (
    select m.*, coalesce(d.is_suppressed, false) as is_suppressed
    from mart as m
    left join {{ ref('disclosure_population_indicator') }} as d
        using (plan_code, activity_code, cohort_year, outcome_kind, period_kind)
)

select
    plan_code,
    activity_code,
    activity_name_da,
    indsatsomraade,
    outcome_kind,
    outcome_name_da,
    unit,
    direction,
    cohort_year,
    period_kind,
    period_name_da,
    period_label,
    is_primary_estimate,
    case when not is_suppressed and n_cohort >= {{ var('small_n_threshold') }} then cast(n_cohort as integer) end as n_cohort,
    case when not is_suppressed and n_participants >= {{ var('small_n_threshold') }} then cast(n_participants as integer) end as n_participants,
    case when not is_suppressed then participants_value end as participants_value,
    case when not is_suppressed and n_comparison >= {{ var('small_n_threshold') }} then cast(n_comparison as integer) end as n_comparison,
    case when not is_suppressed then comparison_value end as comparison_value,
    case when not is_suppressed then difference end as difference,
    case when not is_suppressed then ci_low end as ci_low,
    case when not is_suppressed then ci_high end as ci_high,
    is_suppressed as flag_disclosure_suppressed,
    -- on a hidden row 'few persons' would tell primary from secondary suppression
    flag_small_n and not is_suppressed as flag_small_n,
    flag_no_comparison,
    flag_not_yet_observed,
    flag_missing,
    flag_partial_coverage,
    case when not is_suppressed then flag_effect else false end as flag_effect,
    case when is_suppressed then 'kan ikke vurderes' else assessment end as assessment,
    case when is_suppressed then 'Tallet er skjult af diskretionshensyn.' else assessment_reason end as assessment_reason
from suppressed
