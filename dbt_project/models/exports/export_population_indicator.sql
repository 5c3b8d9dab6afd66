-- mart_population_indicator as published: aggregates only, with the primary suppression of
-- export_area_indicator: a cell behind fewer than var('small_n_threshold') participants or
-- comparison persons is suppressed, and so is a share whose participants with (or without) the
-- outcome number 1 to threshold - 1. A 'change' cell is suppressed with its cohort's before or
-- after cell, because it is their difference. Cohort sizes of 1 to threshold - 1 are withheld.
with mart as (
    select * from {{ ref('mart_population_indicator') }}
),

flagged as (
    select
        *,
        coalesce(
            n_participants between 1 and {{ var('small_n_threshold') }} - 1
            or n_comparison between 1 and {{ var('small_n_threshold') }} - 1
            or (value_kind = 'share' and period_kind <> 'change'
                and (participants_numerator between 0.5 and {{ var('small_n_threshold') }} - 0.5
                     or n_participants - participants_numerator between 0.5 and {{ var('small_n_threshold') }} - 0.5)),
            false) as is_cell_suppressed
    from mart
),

suppressed as (
    select
        *,
        is_cell_suppressed or (period_kind = 'change' and bool_or(is_cell_suppressed) over (
            partition by plan_code, activity_code, cohort_year, outcome_kind
        )) as is_suppressed
    from flagged
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
    case when n_cohort >= {{ var('small_n_threshold') }} then n_cohort end as n_cohort,
    case when not is_suppressed and n_participants >= {{ var('small_n_threshold') }} then n_participants end as n_participants,
    case when not is_suppressed then participants_value end as participants_value,
    case when not is_suppressed and n_comparison >= {{ var('small_n_threshold') }} then n_comparison end as n_comparison,
    case when not is_suppressed then comparison_value end as comparison_value,
    case when not is_suppressed then difference end as difference,
    case when not is_suppressed then ci_low end as ci_low,
    case when not is_suppressed then ci_high end as ci_high,
    is_suppressed as flag_disclosure_suppressed,
    flag_small_n,
    flag_no_comparison,
    flag_not_yet_observed,
    flag_missing,
    flag_partial_coverage,
    case when not is_suppressed then flag_effect else false end as flag_effect,
    case when is_suppressed then 'kan ikke vurderes' else assessment end as assessment,
    case when is_suppressed then 'Tallet er diskretioneret: for få personer.' else assessment_reason end as assessment_reason
from suppressed
