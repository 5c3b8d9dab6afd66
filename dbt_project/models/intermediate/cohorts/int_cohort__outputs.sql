-- Outputs per activity and calendar year as the Årsrapport 2019 counts them: participants are
-- the distinct persons with a spell active at some time in the year; started, finished (ended in
-- the year with a completion recorded) and completed (of those, gennemført); completion in %
-- of the finished. A spell runs to its counted_until (int_cohort__spells: a spell a later file no
-- longer holds ended before that year; one still open, or with a planned end, runs to the end of
-- the last delivered year at most).
with spells as (
    select s.*, s.counted_until as end_or_open
    from {{ ref('int_cohort__spells') }} as s
),

spell_years as (
    select s.*, unnest(range(year(s.start_date), year(s.end_or_open) + 1)) as year
    from spells as s
),

counted as (
    select
        plan_code,
        activity_code,
        year,
        count(distinct person_key) as participants,
        count(distinct person_key) filter (where start_year = year) as started,
        count(*) filter (where year(end_date) = year and is_completed is not null) as finished,
        count(*) filter (where year(end_date) = year and is_completed) as completed
    from spell_years
    group by plan_code, activity_code, year
)

select
    *,
    case when finished > 0 then 100.0 * completed / finished end as completion_pct
from counted
