-- Labour-market indicators from Jobcenter Randers' benefit months (jobcenter_ydelser).
-- "Outside the labour market" = on a public benefit, except Fleksjob (a subsidised job counts
-- as employment, as in the state's employment criterion). Residents are placed by the 1 January
-- stock; the age band is completed years on that date.
--   HP2025_BESK_UDEN_FOR_ARBEJDSMARKEDET   full-time persons (Σ FULDTIDSANDEL / 12) over the
--       12 months October-September per 18-64-year-old, period 'YYYY-10..YYYY-09', stock of the
--       January inside the window.
--   HP2025_PROFIL_UDEN_FOR_ARBEJDSMARKEDET_MAANED  18-64-year-olds with a benefit in the month
--       (head count), one period per month 'YYYY-MM', stock of that year.
--   HP2017_OM_FOERTIDSPENSION   18-64-year-olds with førtidspension in some month of the year.
--   HP2025_PROFIL_FOERTIDSPENSION_ANDEL   førtidspension's share of the full-time persons on a
--       benefit (the residents outside employment), 18-64, calendar year. Both sides count a
--       person-month at most once, as the window indicator does: a pensioner who also draws
--       kontanthjælp in a month is one full-time person on a benefit, not two.
with benefits as (
    select person_key, year, month, window_end_year,
           benefit_type, least(fulltime_fraction, 1.0) as fulltime_fraction
    from {{ ref('int_jobcenter__benefit_months') }}
    where benefit_type <> 'Fleksjob'
),

-- The benefit months are scanned once, into one row per person and month; the window, the
-- year and the month indicators are read from that.
person_months as (
    select person_key, year, month, window_end_year,
           -- several benefits in one month add up, but a person is at most one full-time person
           least(sum(fulltime_fraction), 1.0) as month_fulltime,
           bool_or(benefit_type = 'Førtidspension') as has_foertidspension,
           -- capped at 1 like month_fulltime: the pension part never exceeds the month's person
           -- (coalesce first: least() skips a NULL and would give 1 to a month without pension)
           least(coalesce(sum(fulltime_fraction) filter (where benefit_type = 'Førtidspension'), 0.0), 1.0)
               as fp_fulltime
    from benefits
    group by all
),

residents as (
    select person_key, year, age_years as age
    from {{ ref('int_person__residence_year') }}
),

adults as (
    select person_key, year from residents where age between 18 and 64
),

months as (
    select distinct year, month from person_months
),

benefit_years as (
    select distinct year from months
),

-- the window ending in September of year y (October y-1 .. September y)
window_fulltime as (
    select person_key,
           window_end_year,
           least(sum(month_fulltime), 12.0) / 12.0 as fulltime_persons
    from person_months
    group by all
),

outside_window as (
    select
        'HP2025_BESK_UDEN_FOR_ARBEJDSMARKEDET' as indicator_id,
        a.person_key,
        {{ oct_sep_window_columns('a.year') }},
        a.year as membership_year,
        1.0 as weight,
        coalesce(w.fulltime_persons, 0.0) as value
    from adults as a
    left join window_fulltime as w on w.person_key = a.person_key and w.window_end_year = a.year
    -- only windows the extracts cover from start to end
    where a.year - 1 in (select year from benefit_years) and a.year in (select year from benefit_years)
),

year_benefits as (
    select person_key, year,
           -- bit m set: a benefit in month m (the month indicator joins this, not every month row)
           bit_or(cast(1 as bigint) << month) as benefit_month_bits,
           bool_or(has_foertidspension) as has_foertidspension,
           sum(fp_fulltime) / 12.0 as fp_fulltime,
           sum(month_fulltime) / 12.0 as all_fulltime
    from person_months
    group by all
),

adult_years as (
    select a.person_key, a.year, y.benefit_month_bits, y.has_foertidspension, y.fp_fulltime, y.all_fulltime
    from adults as a
    left join year_benefits as y using (person_key, year)
),

outside_month as (
    select
        'HP2025_PROFIL_UDEN_FOR_ARBEJDSMARKEDET_MAANED' as indicator_id,
        a.person_key,
        strftime(make_date(m.year, m.month, 1), '%Y-%m') as period,
        make_date(m.year, m.month, 1) as period_start,
        last_day(make_date(m.year, m.month, 1)) as period_end,
        a.year as membership_year,
        1.0 as weight,
        case when coalesce(a.benefit_month_bits, 0) & (cast(1 as bigint) << m.month) <> 0 then 1.0 else 0.0 end as value
    from adult_years as a
    join months as m on m.year = a.year
),

foertidspension as (
    select
        'HP2017_OM_FOERTIDSPENSION' as indicator_id,
        a.person_key,
        {{ calendar_year_columns('a.year') }},
        a.year as membership_year,
        1.0 as weight,
        case when a.has_foertidspension then 1.0 else 0.0 end as value
    from adult_years as a
    where a.year in (select year from benefit_years)
),

foertidspension_share as (
    -- weight: the person's full-time years on a benefit; value: the part that is førtidspension
    select
        'HP2025_PROFIL_FOERTIDSPENSION_ANDEL' as indicator_id,
        a.person_key,
        {{ calendar_year_columns('a.year') }},
        a.year as membership_year,
        a.all_fulltime as weight,
        coalesce(a.fp_fulltime, 0.0) / a.all_fulltime as value
    from adult_years as a
    where a.all_fulltime > 0
)

select * from outside_window
union all select * from outside_month
union all select * from foertidspension
union all select * from foertidspension_share
