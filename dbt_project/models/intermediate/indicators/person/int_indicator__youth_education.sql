-- Youth education after basic schooling, from UU's status of 1 October (period = status year,
-- persons placed by the 1 January stock of that year). A pupil who leaves 9th grade for 10th
-- grade ('I 10. klasse') has not left basic schooling and is in no denominator.
--   HP2025_UDD_UNGDOMSUDD_15_MDR      left 9th/10th grade the year before; in or finished a youth education
--   HP2025_UDD_UNGDOMSUDD_SAMME_AAR   left 9th/10th grade in the status year; started a youth education
--   HP2017_SK_9KL_UNGDOMSUDDANNELSE   left 9th grade in the status year; in a youth education
with status as (
    select
        person_key,
        year(status_date) as status_year,
        leaving_year,
        leaving_grade,
        education_status,
        education_status in ('I ungdomsuddannelse', 'Fuldført ungdomsuddannelse') as in_or_finished
    from {{ ref('stg_kommune__uu_vejledning') }}
    where education_status <> 'I 10. klasse'
),

rows as (
    select 'HP2025_UDD_UNGDOMSUDD_15_MDR' as indicator_id, person_key, status_year, in_or_finished as success
    from status where leaving_year = status_year - 1
    union all
    select 'HP2025_UDD_UNGDOMSUDD_SAMME_AAR', person_key, status_year, in_or_finished
    from status where leaving_year = status_year
    union all
    select 'HP2017_SK_9KL_UNGDOMSUDDANNELSE', person_key, status_year, education_status = 'I ungdomsuddannelse'
    from status where leaving_year = status_year and leaving_grade = '9'
)

select
    indicator_id,
    person_key,
    cast(status_year as varchar) as period,
    make_date(status_year, 10, 1) as period_start,
    make_date(status_year, 10, 1) as period_end,
    status_year as membership_year,
    1.0 as weight,
    case when success then 1.0 else 0.0 end as value
from rows
