-- Kontanthjælp indicators from Jobcenter Randers' benefit months (jobcenter_ydelser); residents
-- placed by the 1 January stock, ages in completed years on that date.
--   HP2025_BESK_KONTANTHJAELP   full-time persons on Kontanthjælp as jobparat or aktivitetsparat
--       over October-September per 18-64-year-old ('YYYY-10..YYYY-09').
--   HP2025_BESK_MOEDRE_KONTANTHJAELP   mothers "med hjemmeboende børn" (MOR_PNR_PSEUDO of a child
--       in the same stock who is under 18 at the end of the month and lives with her: the same
--       FAMILIE_ID, the CPR household, in that 1 January stock, the only household the extract
--       gives) with a Kontanthjælp row in December, 'YYYY-12'. A mother whose children all live
--       elsewhere (with the father, placed, another household) is not in the population.
--   HP2017_OM_KONTANTHJAELP_ANTAL   persons with Kontanthjælp or a similar benefit in some month
--       of the year: one row per resident of a year the benefit file covers (value 1 recipient,
--       0 not), so an area without recipients counts a true 0; the count is the sum.
--   HP2017_OM_KONTANTHJAELP_AKTIVITETSPARAT   those recipients' benefit months: the share of
--       them as aktivitetsparat (weight = the person's months).
with months as (
    select * from {{ ref('int_jobcenter__benefit_months') }}
),

residents as (
    select person_key, year, sex, birth_date, stock_date, age_years as age
    from {{ ref('int_person__residence_year') }}
),

benefit_years as (
    select distinct year from months
),

kh_window as (
    select person_key,
           window_end_year,
           least(sum(fulltime_fraction), 12.0) / 12.0 as fulltime_persons
    from months
    where benefit_type = 'Kontanthjælp' and match_group in ('Jobparat', 'Aktivitetsparat')
    group by all
),

kontanthjaelp_window as (
    select
        'HP2025_BESK_KONTANTHJAELP' as indicator_id,
        r.person_key,
        {{ oct_sep_window_columns('r.year') }},
        r.year as membership_year,
        1.0 as weight,
        coalesce(k.fulltime_persons, 0.0) as value
    from residents as r
    left join kh_window as k on k.person_key = r.person_key and k.window_end_year = r.year
    where r.age between 18 and 64
      and r.year - 1 in (select year from benefit_years) and r.year in (select year from benefit_years)
),

cpr as (
    select person_key, extract_year as year, mother_person_key, birth_date, household_id
    from {{ ref('stg_kommune__cpr_befolkning') }}
),

mothers as (
    -- a woman in the stock who is the mother of someone in the same stock under 18 on 31 December
    -- living in her household (same FAMILIE_ID) on 1 January
    select distinct c.mother_person_key as person_key, c.year
    from cpr as c
    join residents as m on m.person_key = c.mother_person_key and m.year = c.year
    join cpr as mother on mother.person_key = c.mother_person_key and mother.year = c.year
    where c.mother_person_key is not null
      and c.household_id = mother.household_id
      and {{ age_on('c.birth_date', 'make_date(c.year, 12, 31)') }} < 18
),

december_kh as (
    select distinct person_key, year from months where month = 12 and benefit_type = 'Kontanthjælp'
),

mothers_december as (
    select
        'HP2025_BESK_MOEDRE_KONTANTHJAELP' as indicator_id,
        m.person_key,
        m.year || '-12' as period,
        make_date(m.year, 12, 1) as period_start,
        make_date(m.year, 12, 31) as period_end,
        m.year as membership_year,
        1.0 as weight,
        case when d.person_key is not null then 1.0 else 0.0 end as value
    from mothers as m
    left join december_kh as d using (person_key, year)
    where m.year in (select year from benefit_years)
),

-- "kontanthjælp eller lignende ydelser": the benefits with a match group
recipients as (
    select person_key, year,
           count(*) as benefit_months,
           count(*) filter (where match_group = 'Aktivitetsparat') as aktivitetsparat_months
    from months
    where benefit_type in ('Kontanthjælp', 'Uddannelseshjælp', 'Selvforsørgelses- og hjemrejseydelse', 'Overgangsydelse')
    group by all
),

recipients_placed as (
    select r.*
    from recipients as r
    join residents as s using (person_key, year)
),

residents_flagged as (
    select s.person_key, s.year, r.person_key is not null as is_recipient
    from residents as s
    left join recipients as r using (person_key, year)
    where s.year in (select year from benefit_years)
)

select * from kontanthjaelp_window
union all select * from mothers_december
union all
select
    'HP2017_OM_KONTANTHJAELP_ANTAL', person_key, cast(year as varchar), make_date(year, 1, 1), make_date(year, 12, 31),
    year, 1.0, case when is_recipient then 1.0 else 0.0 end
from residents_flagged
union all
select
    'HP2017_OM_KONTANTHJAELP_AKTIVITETSPARAT', person_key, cast(year as varchar), make_date(year, 1, 1), make_date(year, 12, 31),
    year, benefit_months, aktivitetsparat_months / benefit_months
from recipients_placed
