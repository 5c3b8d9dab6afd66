-- Each lease once, with the plan area its address lies in: how moves, evictions and complaints
-- (which name only the lease) are placed in areas.
select distinct org_code, department_number, lease_number, area_code
from {{ ref('int_housing__leases') }}
