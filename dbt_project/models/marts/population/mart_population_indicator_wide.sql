-- One row per activity, cohort and outcome (for BI): before, after and the primary estimate
-- side by side.
select
    plan_code,
    activity_code,
    activity_name_da,
    indsatsomraade,
    outcome_kind,
    outcome_name_da,
    cohort_year,
    max(n_cohort) as n_cohort,
    max(period_label) filter (where period_kind = 'before') as before_period,
    max(participants_value) filter (where period_kind = 'before') as before_participants,
    max(comparison_value) filter (where period_kind = 'before') as before_comparison,
    max(period_label) filter (where period_kind = 'after') as after_period,
    max(n_participants) filter (where period_kind = 'after') as after_n_participants,
    max(participants_value) filter (where period_kind = 'after') as after_participants,
    max(comparison_value) filter (where period_kind = 'after') as after_comparison,
    max(period_kind) filter (where is_primary_estimate) as estimate_kind,
    max(difference) filter (where is_primary_estimate) as estimate,
    max(ci_low) filter (where is_primary_estimate) as estimate_ci_low,
    max(ci_high) filter (where is_primary_estimate) as estimate_ci_high,
    bool_or(flag_effect) filter (where is_primary_estimate) as flag_effect,
    max(assessment) filter (where is_primary_estimate) as assessment,
    max(assessment_reason) filter (where is_primary_estimate) as assessment_reason
from {{ ref('mart_population_indicator') }}
group by plan_code, activity_code, activity_name_da, indsatsomraade, outcome_kind, outcome_name_da, cohort_year
