-- Participation spells once each (int_spells__participation: the latest delivery wins, because
-- it knows the end date and the completion), with the plan whose period the start falls in.
-- active_until: the last day the spell counts as active (see macros/latest_spells.sql). Spells
-- between the two plans' periods (HP2021, not in the seeds) keep plan_code NULL: they count in
-- no cohort of either plan.
select
    s.person_key,
    s.activity_code,
    s.start_date,
    s.end_date,
    s.active_until,
    s.is_completed,
    s.end_delivered,
    s.completion_delivered,
    year(s.start_date) as start_year,
    p.plan_code
from {{ ref('int_spells__participation') }} as s
left join {{ ref('plans') }} as p
    on s.start_date between p.period_start and p.period_end
