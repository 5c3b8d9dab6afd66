-- Move-ins and move-outs of both organisations, placed on the lease (and so the area) they
-- concern. LBF's move-out rate counts external household move-outs and leaves out tenancies
-- of one month or less; both flags are computed here once.
with randersbolig as (
    select c.org_code, m.department_number, m.lease_number, m.move_event, m.move_date, m.move_type,
           m.tenancy_start_date, m.extract_year
    from {{ ref('stg_randersbolig__flytninger') }} as m
    join {{ ref('housing_source_codes') }} as c
        on c.source_system = 'randersbolig' and c.source_code = m.org_source_code
),

lejerbo as (
    select 'LEJERBO' as org_code, department_number, lease_number, move_event, move_date, move_type,
           tenancy_start_date, extract_year
    from {{ ref('stg_lejerbo__flytninger') }}
),

moves as (
    select * from randersbolig
    union all
    select * from lejerbo
)

select
    m.*,
    year(m.move_date) as move_year,
    la.area_code,
    m.move_event = 'Fraflytning' and m.move_type = 'Ekstern'
        and m.move_date > m.tenancy_start_date + interval 1 month as counts_as_lbf_move_out
from moves as m
left join {{ ref('int_housing__lease_areas') }} as la
    on la.org_code = m.org_code and la.department_number = m.department_number
    and la.lease_number = m.lease_number
