-- HP2025_KRIM_UNGDOMSSKOLE_13_18: residents of the 1 January stock who turn 13-18 in the year
-- (birth years Y-18 .. Y-13), less young people placed outside the home on 1 September (they do
-- not live in the area, though CPR may keep them on the parents' address). 1 when enrolled in an
-- offer of the school year starting that August with an enrolment dated on or before 1 September:
-- the extract has no end dates, so "enrolled on 1 September" is "signed up by 1 September".
-- Placements once each, as their latest delivery knows them (int_spells__placements); a school
-- year whose anbringelser file was not delivered has no rows (who was placed is not known).
-- The enrolments are int_youth_school__enrolments, which the cohort outcome youth_school reads too
-- (enrolled at any time in the school year: why the two differ is said there).
with enrolled as (
    select person_key, school_year_start as year
    from {{ ref('int_youth_school__enrolments') }}
    where is_enrolled_by_1sep
),

school_years as (
    select distinct school_year_start as year from {{ ref('int_youth_school__enrolments') }}
),

placement_years as (
    select year from {{ ref('int_spells__delivered_years') }} where spell_source = 'anbringelser'
),

placed as (
    select distinct p.person_key, y.year
    from {{ ref('int_spells__placements') }} as p
    join school_years as y
        on p.start_date <= make_date(y.year, 9, 1)
        and coalesce(p.active_until, date '9999-12-31') >= make_date(y.year, 9, 1)
),

residents as (
    select r.person_key, r.year
    from {{ ref('int_person__residence_year') }} as r
    join school_years using (year)
    join placement_years using (year)
    where year(r.birth_date) between r.year - 18 and r.year - 13
      and not exists (select 1 from placed as p where p.person_key = r.person_key and p.year = r.year)
)

select
    'HP2025_KRIM_UNGDOMSSKOLE_13_18' as indicator_id,
    r.person_key,
    r.year || '-09' as period,
    make_date(r.year, 9, 1) as period_start,
    make_date(r.year, 9, 1) as period_end,
    r.year as membership_year,
    1.0 as weight,
    case when e.person_key is not null then 1.0 else 0.0 end as value
from residents as r
left join enrolled as e using (person_key, year)
