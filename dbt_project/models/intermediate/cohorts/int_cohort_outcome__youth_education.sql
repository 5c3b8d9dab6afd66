-- Youth education: in or finished a youth education at UU's first 1 October status after the
-- start year. Young people in 10th grade have not left basic schooling and are not counted
-- (as in the plan's indicator); there is no before.
with panel as (
    select
        person_key,
        year(status_date) as outcome_year,
        cast(year(status_date) as varchar) as period_label,
        max(status_date) as period_end,
        max(case when education_status in ('I ungdomsuddannelse', 'Fuldført ungdomsuddannelse') then 100.0 else 0.0 end) as value
    from {{ ref('stg_kommune__uu_vejledning') }}
    where education_status <> 'I 10. klasse'
    group by person_key, year(status_date)
)

{{ cohort_outcome('youth_education', 'panel', "null") }}
