-- The Årsrapport 2019's activity counts beside the warehouse's count of the same measure, so a
-- test (and an analyst) sees which printed figures the participation extract reproduces.
-- Percentages are compared as printed: whole per cent.
with published as (
    select * from {{ ref('activities_published_2019') }}
),

computed as (
    select plan_code, activity_code, year, measure, value
    from {{ ref('int_cohort__outputs') }}
    unpivot (value for measure in (participants, started, finished, completed, completion_pct))
)

select
    p.plan_code,
    p.activity_code,
    p.year,
    p.measure,
    p.value as published_value,
    c.value as computed_value,
    p.is_whole_count,
    p.source_line,
    case
        when p.measure = 'courses' then 'not_person_level'
        when c.value is null then 'missing'
        when round(c.value) = p.value then 'reproduced'
        when not p.is_whole_count and c.value >= p.value then 'consistent'
        else 'differs'
    end as comparison
from published as p
left join computed as c using (plan_code, activity_code, year, measure)
