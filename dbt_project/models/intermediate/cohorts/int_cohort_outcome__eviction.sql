-- Eviction: adult residents with an eviction case on the lease at their address in the
-- October-September window before and after the start year (the 2025-29 activities start in
-- August-December, so the after-window is about the 12 months after the start, and it counts only
-- once it has ended by the as-of date). A case matches the residents at the address (floor and
-- door included) on 1 January of the year it is decided. Only RandersBolig delivers evictions, so
-- residents of Lejerbo's departments count as not evicted (the area marts flag the gap).
with cases as (
    select distinct
        year(e.decision_date) as decision_year,
        {{ oct_sep_window_end_year('year(e.decision_date)', 'month(e.decision_date)') }} as window_end_year,
        l.street_name, l.house_number, l.house_letter, l.floor, l.door
    from {{ ref('stg_randersbolig__udsaettelser') }} as e
    join {{ ref('stg_randersbolig__lejemaal') }} as l
        on l.org_source_code = e.org_source_code
        and l.department_number = e.department_number
        and l.lease_number = e.lease_number
        and l.extract_year = year(e.decision_date)
),

evicted as (
    select distinct p.person_key, c.window_end_year
    from {{ ref('stg_kommune__cpr_befolkning') }} as p
    join cases as c
        on c.decision_year = p.extract_year
        and c.street_name = p.street_name
        and c.house_number = p.house_number
        and c.house_letter is not distinct from p.house_letter
        and c.floor is not distinct from p.floor
        and c.door is not distinct from p.door
),

panel as (
    select
        p.person_key,
        p.extract_year as outcome_year,
        {{ oct_sep_window_label('p.extract_year') }} as period_label,
        make_date(p.extract_year, 9, 30) as period_end,
        max(case when e.person_key is not null then 100.0 else 0.0 end) as value
    from {{ ref('stg_kommune__cpr_befolkning') }} as p
    left join evicted as e on e.person_key = p.person_key and e.window_end_year = p.extract_year
    where {{ age_on('p.birth_date', 'p.stock_date') }} >= 18
    group by p.person_key, p.extract_year
)

{{ cohort_outcome('eviction', 'panel', "case when {v} > 0 then 'udsat' else 'ikke udsat' end") }}
