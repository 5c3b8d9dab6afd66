-- Neighbour complaints of both housing organisations, placed on the lease (and so the area)
-- they concern.
with randersbolig as (
    select c.org_code, k.department_number, k.lease_number, k.complaint_date, k.complaint_category
    from {{ ref('stg_randersbolig__klager') }} as k
    join {{ ref('housing_source_codes') }} as c
        on c.source_system = 'randersbolig' and c.source_code = k.org_source_code
),

lejerbo as (
    select 'LEJERBO' as org_code, department_number, lease_number, complaint_date, complaint_category
    from {{ ref('stg_lejerbo__klager') }}
),

complaints as (
    select * from randersbolig
    union all
    select * from lejerbo
)

select
    k.*,
    year(k.complaint_date) as complaint_year,
    la.area_code
from complaints as k
left join {{ ref('int_housing__lease_areas') }} as la
    on la.org_code = k.org_code and la.department_number = k.department_number
    and la.lease_number = k.lease_number
