-- Youth school: residents aged 13-17 on 1 January enrolled in a leisure offer of Randers
-- Ungdomsskole in the school year starting that August: the school year ending in the start year
-- (before) and the one beginning in it (after), counted once it has ended. Enrolled at any time
-- in the school year, not by 1 September as the area indicator HP2025_KRIM_UNGDOMSSKOLE_13_18:
-- both read int_youth_school__enrolments, which says why they differ.
with enrolled as (
    select person_key, school_year_start
    from {{ ref('int_youth_school__enrolments') }}
),

panel as (
    select
        r.person_key,
        r.year as outcome_year,
        {{ school_year_label('r.year') }} as period_label,
        {{ school_year_end('r.year') }} as period_end,
        case when e.person_key is not null then 100.0 else 0.0 end as value
    from {{ ref('int_person__residence_year') }} as r
    left join enrolled as e on e.person_key = r.person_key and e.school_year_start = r.year
    where r.age_years between 13 and 17
)

{{ cohort_outcome('youth_school', 'panel', "case when {v} > 0 then 'tilmeldt' else 'ikke tilmeldt' end") }}
