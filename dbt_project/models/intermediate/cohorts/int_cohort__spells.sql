-- Participation spells once each, with the plan whose period the start falls in. A spell active
-- in several years is delivered in each year's file; the latest delivery wins, because it knows
-- the end date and the completion. Spells between the two plans' periods (HP2021, not in the
-- seeds) keep plan_code NULL: they count in no cohort of either plan.
with delivered as (
    select
        person_key, activity_code, start_date, end_date, is_completed, extract_year,
        -- whether any delivery knew the end or the completion (tested: the kept one must know it)
        bool_or(end_date is not null) over spell as end_delivered,
        bool_or(is_completed is not null) over spell as completion_delivered
    from {{ ref('stg_kommune__indsatsdeltagelse') }}
    window spell as (partition by person_key, activity_code, start_date)
    qualify row_number() over (
        partition by person_key, activity_code, start_date order by extract_year desc
    ) = 1
)

select
    d.person_key,
    d.activity_code,
    d.start_date,
    d.end_date,
    d.is_completed,
    d.end_delivered,
    d.completion_delivered,
    year(d.start_date) as start_year,
    p.plan_code
from delivered as d
left join {{ ref('plans') }} as p
    on d.start_date between p.period_start and p.period_end
