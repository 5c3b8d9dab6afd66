-- Eviction: adult residents whose lease (their address on 1 January, floor and door included)
-- had an eviction case in the year, before and after the start year. Only RandersBolig delivers
-- evictions, so residents of Lejerbo's departments count as not evicted (the area marts flag the gap).
with eviction_addresses as (
    select distinct
        year(e.decision_date) as year,
        l.street_name, l.house_number, l.house_letter, l.floor, l.door
    from {{ ref('stg_randersbolig__udsaettelser') }} as e
    join {{ ref('stg_randersbolig__lejemaal') }} as l
        on l.org_source_code = e.org_source_code
        and l.department_number = e.department_number
        and l.lease_number = e.lease_number
        and l.extract_year = year(e.decision_date)
),

panel as (
    select
        p.person_key,
        p.extract_year as outcome_year,
        cast(p.extract_year as varchar) as period_label,
        max(case when a.year is not null then 100.0 else 0.0 end) as value
    from {{ ref('stg_kommune__cpr_befolkning') }} as p
    left join eviction_addresses as a
        on a.year = p.extract_year
        and a.street_name = p.street_name
        and a.house_number = p.house_number
        and a.house_letter is not distinct from p.house_letter
        and a.floor is not distinct from p.floor
        and a.door is not distinct from p.door
    where {{ age_on('p.birth_date', 'p.stock_date') }} >= 18
    group by p.person_key, p.extract_year
)

{{ cohort_outcome('eviction', 'panel', "case when {v} > 0 then 'udsat' else 'ikke udsat' end") }}
