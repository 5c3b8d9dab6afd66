-- Participation spells once each (int_spells__participation: the latest delivery wins, because
-- it knows the end date and the completion), with the plan whose period the start falls in.
-- active_until: the last day the spell counts as active (see macros/latest_spells.sql);
-- counted_until: the same, within the delivered years (a spell still open runs to the end of
-- the last delivered year, a planned end or start after it is not counted there). Spells
-- between the two plans' periods (HP2021, not in the seeds) keep plan_code NULL: they count in
-- no cohort of either plan.
select
    s.person_key,
    s.activity_code,
    s.start_date,
    s.end_date,
    s.active_until,
    least(coalesce(s.active_until, l.last_day_delivered), l.last_day_delivered) as counted_until,
    s.is_completed,
    s.end_delivered,
    s.completion_delivered,
    year(s.start_date) as start_year,
    p.plan_code
from {{ ref('int_spells__participation') }} as s
cross join (
    select make_date(max(last_delivered_year), 12, 31) as last_day_delivered
    from {{ ref('int_spells__participation') }}
) as l
left join {{ ref('plans') }} as p
    on s.start_date between p.period_start and p.period_end
