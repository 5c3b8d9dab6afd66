{#- The comparison design of the population marts, written once and called by one small model
    per outcome kind (models/intermediate/cohorts/int_cohort_outcome__*.sql).

    `panel` names a CTE of the calling model with rows per person and outcome year:
    (person_key, outcome_year, period_label, period_end, value), value on the display scale (a
    share as 0/100, so a mean of it is a percentage); period_end is the day the measurement period
    ends (a school year, an October-September window, a status date, an assessment), or the day a
    revised value of the year is known from (a panel may hold several rows per person and year:
    the value as known after each assessment day). Results come per state (measured_by_year):
    the after-period as report year C sees it, counting what had ended by 31 December of C or
    the data vintage (macros/as_of.sql); the mart picks its report year's. `level` is an SQL expression over `{v}` (the value
    before the start year) giving the starting level; it is used only where there is a value:
    no value before = 'ingen måling', a stratum of its own, so persons without a before value
    are compared only with others without one ("null" as level: one group 'målt').

    For every cohort year Y, every resident on 1 January Y is placed in a stratum: area, age band
    and starting level, with the latest value in [Y - lookback, Y - 1] ("before") and the first
    in [Y + after_from, Y + lookahead] ("after") from the seed activities_outcomes. Participants are compared
    with the non-participants of the same stratum (exact matching; a person who was ever followed
    in the activity is never a comparison), the comparison's stratum means weighted by the
    participants' distribution over the strata (the effect on the treated). Per period
    ('before', 'after', and 'change' = after - before per person, a difference-in-differences)
    the result is the difference with a normal-approximation 95 % interval:
    var = s_p^2 / n_p + sum_s w_s^2 s_c(s)^2 / n_c(s) (Agresti-Caffo-adjusted for 0/100 shares). Strata with fewer than two comparison
    persons are unmatched and left out of both sides (counted in n_unmatched). -#}
{% macro cohort_outcome(outcome_kind, panel, level) -%}
, outcome as (
    select * from {{ ref('activities_outcomes') }} where outcome_kind = '{{ outcome_kind }}'
),

members as (
    select * from {{ ref('int_cohort__members') }}
    where outcome_kind = '{{ outcome_kind }}'
),

cohort_years as (
    select distinct cohort_year from members
),

last_cut as (
    -- the data vintage's year (no vintage: the year of the latest measurement)
    select year(coalesce({{ data_vintage() }}, (select max(period_end) from {{ panel }}))) as last_cut_year
),

cuts as (
    -- every report year from the first cohort's to the data vintage's, cut at its end (or at the
    -- data vintage)
    select measured_by_year,
           least(make_date(measured_by_year::integer, 12, 31), {{ data_vintage() }}) as cut_date
    from (select unnest(range((select min(cohort_year) from cohort_years), l.last_cut_year + 1)) as measured_by_year
          from last_cut as l)
),

cohort_cuts as (
    -- the states a cohort's after-period passes through as report years go by: from the first
    -- year of the window up to the year after its last, when every measurement of the window has
    -- ended (a school year ends in the next July); a later report year shows that final state
    select y.cohort_year, c.measured_by_year, c.cut_date
    from cohort_years as y
    cross join outcome as o
    join cuts as c
        on c.measured_by_year between y.cohort_year + o.after_from_years and y.cohort_year + o.lookahead_years + 1
),

horizons as (
    -- per report year, the last outcome year with a measurement ended by its cut date (what
    -- 'not yet observed' is judged against)
    select c.measured_by_year, max(f.outcome_year) as last_outcome_year
    from cuts as c
    join (select outcome_year, min(period_end) as first_end from {{ panel }} group by all) as f
        on f.first_end <= c.cut_date
    group by all
),

pool as (
    select
        r.person_key,
        y.cohort_year,
        coalesce(r.area_code, 'UDEN_FOR') as area_stratum,
        {{ cohort_age_band('r.age_years') }} as age_band
    from {{ ref('int_person__residence_year') }} as r
    join cohort_years as y on r.year = y.cohort_year
),

before_ as (
    -- a before-period of a cohort up to the report year has ended by then: not cut; a year's
    -- value as last known (a panel may revise a year: a second assessment)
    select
        pool.person_key,
        pool.cohort_year,
        arg_max(p.value, (p.outcome_year, p.period_end)) as value,
        arg_max(p.period_label, (p.outcome_year, p.period_end)) as period_label
    from pool
    join {{ panel }} as p on p.person_key = pool.person_key
    cross join outcome as o
    where p.outcome_year between pool.cohort_year - o.lookback_years and pool.cohort_year - 1
    group by pool.person_key, pool.cohort_year
),

window_rows as (
    select pool.person_key, pool.cohort_year, p.outcome_year, p.period_end, p.value, p.period_label
    from pool
    join {{ panel }} as p on p.person_key = pool.person_key
    cross join outcome as o
    where p.outcome_year between pool.cohort_year + o.after_from_years and pool.cohort_year + o.lookahead_years
),

after_ as (
    -- per state, the first outcome year with a measurement ended by the cut date, as known then
    select
        w.person_key,
        w.cohort_year,
        c.measured_by_year,
        arg_min(w.value, (w.outcome_year, date '9999-12-31' - w.period_end)) as value,
        arg_min(w.period_label, (w.outcome_year, date '9999-12-31' - w.period_end)) as period_label
    from window_rows as w
    join cohort_cuts as c on c.cohort_year = w.cohort_year and w.period_end <= c.cut_date
    group by all
),

observed_before as (
    select
        pool.*,
        -- no value before is its own stratum, tested first: every level expression's `else`
        -- would otherwise take a NULL into its last group ("over 15 %", "generel", ...)
        coalesce({{ level | replace('{v}', 'b.value') }}, 'målt') as start_level,
        b.value as before_value,
        b.period_label as before_label
    from pool
    join before_ as b using (person_key, cohort_year)
    where b.value is not null
),

observed_after as (
    select
        pool.*,
        a.measured_by_year,
        coalesce(b.start_level, 'ingen måling') as start_level,
        b.before_value,
        b.before_label,
        a.value as after_value,
        a.period_label as after_label
    from after_ as a
    join pool using (person_key, cohort_year)
    left join observed_before as b using (person_key, cohort_year)
    where a.value is not null
),

long as (
    -- a before-period has one state, its cohort year's
    select person_key, cohort_year, cohort_year as measured_by_year, area_stratum, age_band, start_level,
           'before' as period_kind, before_value as value, before_label as period_label
    from observed_before
    union all
    select person_key, cohort_year, measured_by_year, area_stratum, age_band, start_level, 'after',
           after_value, after_label
    from observed_after
    union all
    select person_key, cohort_year, measured_by_year, area_stratum, age_band, start_level, 'change',
           after_value - before_value, before_label || ' → ' || after_label
    from observed_after where before_value is not null
),

everyone as (
    select cohort_year, measured_by_year, area_stratum, age_band, start_level, period_kind,
           count(*) as n, sum(value) as s1, sum(value * value) as s2
    from long
    group by all
),

ever_followed as (
    -- the activity's participants (or their children) of any plan and year
    select distinct m.activity_code, l.*
    from long as l
    join (select distinct activity_code, person_key from members) as m using (person_key)
),

followed_stats as (
    select activity_code, cohort_year, measured_by_year, area_stratum, age_band, start_level, period_kind,
           count(*) as n, sum(value) as s1, sum(value * value) as s2
    from ever_followed
    group by all
),

treated as (
    select m.plan_code, m.activity_code, l.*
    from members as m
    join long as l using (person_key, cohort_year)
),

treated_strata as (
    select plan_code, activity_code, cohort_year, measured_by_year, area_stratum, age_band, start_level, period_kind,
           count(*) as n_p, sum(value) as s1_p, sum(value * value) as s2_p
    from treated
    group by all
),

matched as (
    select
        t.*,
        e.n - coalesce(f.n, 0) as n_c,
        e.s1 - coalesce(f.s1, 0) as s1_c,
        e.s2 - coalesce(f.s2, 0) as s2_c
    from treated_strata as t
    left join everyone as e using (cohort_year, measured_by_year, area_stratum, age_band, start_level, period_kind)
    left join followed_stats as f
        using (activity_code, cohort_year, measured_by_year, area_stratum, age_band, start_level, period_kind)
),

strata as (
    select
        m.*,
        m.n_c >= 2 as is_matched,
        m.s1_c / m.n_c as mean_c,
        -- variance of the stratum's mean; a 0/100 share gets the Agresti-Caffo adjustment (one
        -- success and one failure added), so an all-or-nothing stratum still carries uncertainty
        case
            when o.value_kind = 'share' and m.period_kind <> 'change'
                then 10000.0 * ((m.s1_c / 100 + 1) / (m.n_c + 2)) * (1 - (m.s1_c / 100 + 1) / (m.n_c + 2)) / (m.n_c + 2)
            else greatest(m.s2_c - m.s1_c * m.s1_c / m.n_c, 0) / (m.n_c - 1) / m.n_c
        end as var_mean_c
    from matched as m
    cross join outcome as o
),

cohort_stats as (
    select
        plan_code,
        activity_code,
        cohort_year,
        measured_by_year,
        period_kind,
        sum(n_p) as n_followed,
        sum(n_p) filter (where is_matched) as n_p,
        sum(n_p) filter (where not is_matched or n_c is null) as n_unmatched,
        sum(s1_p) filter (where is_matched) as s1_p,
        sum(s2_p) filter (where is_matched) as s2_p,
        sum(n_c) filter (where is_matched) as n_comparison,
        sum(n_p * mean_c) filter (where is_matched) as weighted_c,
        sum(n_p * n_p * var_mean_c) filter (where is_matched) as weighted_var_c
    from strata
    group by all
),

labels as (
    select plan_code, activity_code, cohort_year, measured_by_year, period_kind,
           string_agg(distinct period_label, ', ' order by period_label) as period_label
    from treated
    group by all
),

result as (
    select
        s.plan_code,
        s.activity_code,
        s.cohort_year,
        '{{ outcome_kind }}' as outcome_kind,
        s.period_kind,
        s.measured_by_year,
        l.period_label,
        s.n_followed,
        coalesce(s.n_p, 0) as n_participants,
        coalesce(s.n_unmatched, 0) as n_unmatched,
        s.s1_p / 100.0 as participants_numerator,
        s.s1_p / s.n_p as participants_value,
        case
            when o.value_kind = 'share' and s.period_kind <> 'change'
                then 10000.0 * ((s.s1_p / 100 + 1) / (s.n_p + 2)) * (1 - (s.s1_p / 100 + 1) / (s.n_p + 2)) / (s.n_p + 2)
            when s.n_p > 1 then greatest(s.s2_p - s.s1_p * s.s1_p / s.n_p, 0) / (s.n_p - 1) / s.n_p
        end as participants_var_of_mean,
        coalesce(s.n_comparison, 0) as n_comparison,
        s.weighted_c / s.n_p as comparison_value,
        s.weighted_var_c / (s.n_p * s.n_p) as comparison_var_of_mean
    from cohort_stats as s
    cross join outcome as o
    left join labels as l using (plan_code, activity_code, cohort_year, measured_by_year, period_kind)
)

select
    r.* exclude (participants_var_of_mean, comparison_var_of_mean),
    h.last_outcome_year,
    r.participants_value - r.comparison_value as difference,
    sqrt(r.participants_var_of_mean + r.comparison_var_of_mean) as difference_se
from result as r
left join horizons as h using (measured_by_year)
{%- endmacro %}


{#- Age band of the comparison strata: 3-year bands for children and young people, 10-year bands
    for adults. -#}
{% macro cohort_age_band(age_col) -%}
    (case when {{ age_col }} < 18 then (floor({{ age_col }} / 3) * 3)::integer
          else (floor({{ age_col }} / 10) * 10)::integer end)
{%- endmacro %}


{#- The 97.5 % quantile of Student's t with df degrees of freedom, exact: the seed t_quantiles_975
    (scipy, df 1-4745) and beyond it the normal quantile, which is then within 0.0005 of t, less
    than half a printed decimal of an interval end (see the seed's YAML). Small cohorts get
    honestly wider intervals than the normal. -#}
{% macro t_quantile_975(df) -%}
    coalesce((select tq.t_975 from {{ ref('t_quantiles_975') }} as tq where tq.df = {{ df }}), 1.959963984540054)
{%- endmacro %}
