-- Cohorts: per activity of a plan and start year, the persons whose outcome is followed, with
-- the stratum they are compared in (area and age band on 1 January of the start year). A
-- participant belongs to the cohort of the year of their first start in the activity in that
-- plan. For parent activities (participant_kind = 'parent') the followed persons are the
-- participant's children in the catalogue's child age band; the participant is kept as
-- participant_key.
with catalogue as (
    select * from {{ ref('activities') }}
    where participant_kind <> 'none' and outcome_kind <> 'none'
),

participants as (
    select
        s.plan_code,
        s.activity_code,
        s.person_key,
        min(s.start_date) as first_start_date,
        year(min(s.start_date)) as cohort_year,
        bool_or(coalesce(s.is_completed, false)) as has_completed
    from {{ ref('int_cohort__spells') }} as s
    join catalogue as c using (plan_code, activity_code)
    group by s.plan_code, s.activity_code, s.person_key
),

parent_links as (
    -- each child's parents on 1 January, one row per parent (two equi-joinable rows, not an OR)
    select person_key, extract_year, mother_person_key as parent_key,
           {{ age_on('birth_date', 'stock_date') }} as age_years
    from {{ ref('stg_kommune__cpr_befolkning') }} where mother_person_key is not null
    union all
    select person_key, extract_year, father_person_key,
           {{ age_on('birth_date', 'stock_date') }}
    from {{ ref('stg_kommune__cpr_befolkning') }} where father_person_key is not null
),

children as (
    select p.plan_code, p.activity_code, p.cohort_year, p.person_key as participant_key, k.person_key
    from participants as p
    join catalogue as c using (plan_code, activity_code)
    join parent_links as k
        on k.extract_year = p.cohort_year
        and k.parent_key = p.person_key
        and k.age_years between c.child_age_min and c.child_age_max
    where c.outcome_subject = 'children'
),

subjects as (
    select p.plan_code, p.activity_code, p.cohort_year, p.person_key as participant_key, p.person_key
    from participants as p
    join catalogue as c using (plan_code, activity_code)
    where c.outcome_subject = 'participant'
    union all
    select * from children
)

select
    s.plan_code,
    s.activity_code,
    s.cohort_year,
    s.person_key,
    -- a child with two participating parents is followed once
    min(s.participant_key) as participant_key,
    c.outcome_kind,
    c.outcome_subject,
    any_value(r.area_code) as area_code,
    any_value(r.age_years) as age_years,
    any_value(r.person_key) is not null as is_resident_1jan
from subjects as s
join catalogue as c using (plan_code, activity_code)
left join {{ ref('int_person__residence_year') }} as r
    on r.person_key = s.person_key and r.year = s.cohort_year
group by s.plan_code, s.activity_code, s.cohort_year, s.person_key, c.outcome_kind, c.outcome_subject
