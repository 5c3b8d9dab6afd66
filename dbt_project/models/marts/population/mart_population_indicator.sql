-- depends_on: {{ ref('t_quantiles_975') }}
-- The population marts' long table: every activity × cohort (start year) × outcome × period,
-- following the people each activity reached against matched non-participants in the same area,
-- age band and starting level. Periods: 'before' (the last measurement before the start year,
-- where the outcome has one), 'after' (the first after) and 'change' (after - before per person:
-- the difference-in-differences, the primary estimate where a before exists). The difference
-- has a 95 % interval (t on the participants' degrees of freedom); an effect is reported only
-- when the interval excludes 0.
with catalogue as (
    select * from {{ ref('activities') }}
),

outcomes as (
    select * from {{ ref('activities_outcomes') }}
),

states as (
    select * from {{ ref('int_cohort__outcome_states') }}
),

results as (
    -- the report year's state: a before-period has one; an after-period the state of the year
    -- of the as-of date, or its final state once its window has closed
    select s.*
    from states as s
    join outcomes as o using (outcome_kind)
    where s.measured_by_year <= case when s.period_kind = 'before' then s.cohort_year
                                     else least(year({{ as_of_date() }}), s.cohort_year + o.lookahead_years + 1) end
    qualify s.measured_by_year = max(s.measured_by_year) over (
        partition by s.plan_code, s.activity_code, s.cohort_year, s.outcome_kind, s.period_kind)
),

horizon as (
    -- the last outcome year with a period ended by the as-of date: an 'after' beyond it is not yet observable
    select outcome_kind, max(last_outcome_year) as last_outcome_year
    from states
    where measured_by_year <= year({{ as_of_date() }})
    group by outcome_kind
),

cohorts as (
    select
        plan_code, activity_code, cohort_year, outcome_kind,
        count(*) as n_cohort,
        count(*) filter (where is_resident_1jan) as n_resident
    from {{ ref('int_cohort__members') }}
    -- as known on the as-of date: a cohort that starts after it is not in this report year's mart
    where cohort_year <= year({{ as_of_date() }})
    group by all
),

periods as (
    select * from (values
        ('before', 'før', 1),
        ('after', 'efter', 2),
        ('change', 'ændring (forskel i forskelle)', 3)
    ) as p(period_kind, period_name_da, period_order)
),

scaffold as (
    -- every cohort gets its periods, so a cohort without measurements is a visible, flagged row;
    -- an outcome without a before (youth education) has only 'after'
    select c.*, p.period_kind, p.period_name_da, p.period_order
    from cohorts as c
    join outcomes as o using (outcome_kind)
    join periods as p on o.lookback_years > 0 or p.period_kind = 'after'
),

joined as (
    select
        s.*,
        r.measured_by_year,
        r.period_label,
        coalesce(r.n_participants, 0) as n_participants,
        coalesce(r.n_unmatched, 0) as n_unmatched,
        r.participants_numerator,
        r.participants_value,
        coalesce(r.n_comparison, 0) as n_comparison,
        r.comparison_value,
        r.difference,
        -- Student's t (exact, seed t_quantiles_975) on the participants' degrees of freedom: cohorts are small
        r.difference - {{ t_quantile_975('greatest(r.n_participants - 1, 1)') }} * r.difference_se as ci_low,
        r.difference + {{ t_quantile_975('greatest(r.n_participants - 1, 1)') }} * r.difference_se as ci_high,
        -- the first after-period has not ended by the as-of date (report year, capped by the data vintage)
        s.period_kind <> 'before' and s.cohort_year + o.after_from_years > h.last_outcome_year as is_not_yet_observed
    from scaffold as s
    join outcomes as o using (outcome_kind)
    left join results as r using (plan_code, activity_code, cohort_year, outcome_kind, period_kind)
    left join horizon as h using (outcome_kind)
),

flagged as (
    select
        j.*,
        -- the difference-in-differences where the cohort has before-and-after persons, else 'after'
        -- (youth education has no before; babies have no language assessment before)
        j.period_kind = case
            when bool_or(j.period_kind = 'change' and j.n_participants > 0) over (
                partition by j.plan_code, j.activity_code, j.cohort_year, j.outcome_kind
            ) then 'change' else 'after' end as is_primary_estimate,
        j.n_participants between 1 and {{ var('small_n_threshold') }} - 1
            or j.n_comparison between 1 and {{ var('small_n_threshold') }} - 1 as flag_small_n,
        j.n_participants > 0 and j.n_comparison = 0 as flag_no_comparison,
        coalesce(j.is_not_yet_observed, false) as flag_not_yet_observed,
        j.n_participants = 0 as flag_missing,
        j.n_unmatched > 0 as flag_partial_coverage,
        coalesce(j.ci_low > 0 or j.ci_high < 0, false) as excludes_zero
    from joined as j
    join outcomes as o using (outcome_kind)
)

select
    f.plan_code,
    f.activity_code,
    c.activity_name_da,
    c.indsatsomraade,
    f.outcome_kind,
    o.outcome_name_da,
    o.unit,
    o.value_kind,
    o.direction,
    f.cohort_year,
    f.period_kind,
    f.period_name_da,
    f.period_order,
    -- the after-period as measured by the end of this year (or the data vintage): a recent
    -- cohort's after grows as later measurements arrive, until its window has closed
    f.measured_by_year,
    f.period_label,
    f.is_primary_estimate,
    f.n_cohort,
    f.n_resident,
    f.n_participants,
    f.n_unmatched,
    f.participants_numerator,
    f.participants_value,
    f.n_comparison,
    f.comparison_value,
    f.difference,
    f.ci_low,
    f.ci_high,
    f.flag_small_n,
    f.flag_no_comparison,
    f.flag_not_yet_observed,
    f.flag_missing,
    f.flag_partial_coverage,
    f.excludes_zero and not f.flag_small_n and f.period_kind <> 'before' as flag_effect,
    case
        when f.flag_not_yet_observed then 'kan ikke vurderes endnu'
        when f.flag_missing or f.flag_no_comparison or f.flag_small_n or f.difference is null then 'kan ikke vurderes'
        when f.period_kind = 'before' and f.excludes_zero then 'forskel ved start'
        when f.period_kind = 'before' then 'ingen forskel ved start'
        when not f.excludes_zero then 'ingen påviselig forskel'
        when (o.direction = 'lower_is_better') = (f.difference < 0) then 'bedre end sammenligningsgruppen'
        else 'dårligere end sammenligningsgruppen'
    end as assessment,
    case
        when f.flag_not_yet_observed then 'Efterperioden (' || (f.cohort_year + o.after_from_years) || ') er endnu ikke målt.'
        when f.flag_missing then 'Ingen deltagere med en måling i perioden.'
        when f.flag_no_comparison then 'Ingen sammenlignelige ikke-deltagere i samme område, aldersgruppe og startniveau.'
        when f.flag_small_n then 'For få personer til at vurdere forskellen.'
        when f.difference is null then 'Forskellen kan ikke beregnes.'
        else 'Forskel ' || {{ danish_number('f.difference', 1) }} || ' (95 %-interval '
             || {{ danish_number('f.ci_low', 1) }} || ' til ' || {{ danish_number('f.ci_high', 1) }}
             || case when f.excludes_zero then '); intervallet udelukker 0.' else '); intervallet omfatter 0.' end
    end as assessment_reason,
    -- periods ending after this day are not counted (macros/data_vintage.sql)
    {{ as_of_date() }} as as_of_date
from flagged as f
join catalogue as c on c.plan_code = f.plan_code and c.activity_code = f.activity_code
join outcomes as o on o.outcome_kind = f.outcome_kind
