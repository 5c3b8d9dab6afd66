-- Eviction cases per lease. Only RandersBolig delivers evictions: Lejerbo's departments are a
-- known gap (flagged as partial coverage where an area has Lejerbo leases).
with evictions as (
    select c.org_code, e.department_number, e.lease_number, e.decision_date, e.eviction_reason,
           e.is_carried_out
    from {{ ref('stg_randersbolig__udsaettelser') }} as e
    join {{ ref('housing_source_codes') }} as c
        on c.source_system = 'randersbolig' and c.source_code = e.org_source_code
)

select
    e.*,
    year(e.decision_date) as decision_year,
    la.area_code
from evictions as e
left join {{ ref('int_housing__lease_areas') }} as la
    on la.org_code = e.org_code and la.department_number = e.department_number
    and la.lease_number = e.lease_number
