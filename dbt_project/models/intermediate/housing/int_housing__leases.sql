-- The lease stock on 1 January of each year, both housing organisations' extracts in one
-- shape, with the organisation code, the department's plan area (from the area model) and the
-- address's plan area (from the printed address ranges).
with randersbolig as (
    select
        c.org_code, l.department_number, l.lease_number, l.street_name, l.house_number, l.house_letter,
        l.extract_year as year, 'randersbolig' as source_system
    from {{ ref('stg_randersbolig__lejemaal') }} as l
    join {{ ref('housing_source_codes') }} as c
        on c.source_system = 'randersbolig' and c.source_code = l.org_source_code
),

lejerbo as (
    select
        'LEJERBO' as org_code, department_number, lease_number, street_name, house_number, house_letter,
        extract_year as year, 'lejerbo' as source_system
    from {{ ref('stg_lejerbo__lejemaal') }}
),

leases as (
    select * from randersbolig
    union all
    select * from lejerbo
)

select
    l.*,
    d.area_code as department_area_code,
    a.area_code
from leases as l
left join {{ ref('housing_departments') }} as d
    on d.org_code = l.org_code and d.department_number = l.department_number
left join {{ ref('int_address__area') }} as a
    on a.street_name = l.street_name
    and a.house_number = l.house_number
    and a.house_letter is not distinct from l.house_letter
