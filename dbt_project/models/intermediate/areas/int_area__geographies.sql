-- Every geography a resident of an area counts towards, one row per area (NULL = outside every
-- plan area) and geography: the area itself, the plan totals the area belongs to, Randers
-- Kommune, and Randers Kommune without each plan the area is not part of. The geography logic
-- exists only here; a dozen rows, so person-level models join it instead of repeating it, and
-- aggregates can be built per area first and rolled up through it.
with areas as (
    -- every area code residents can have (int_address__area places all their addresses), and
    -- NULL for the residents outside the areas
    select area_code from {{ ref('int_address__area') }}
    union
    select cast(null as varchar)
),

plan_areas as (
    select plan_code, area_code from {{ ref('plan_areas') }}
),

geographies as (
    select * from {{ ref('geographies') }}
),

in_area as (
    select a.area_code, a.area_code as geography_code
    from areas as a
    where a.area_code is not null
),

in_plan_total as (
    select a.area_code, g.geography_code
    from areas as a
    join plan_areas as pa on pa.area_code = a.area_code
    join geographies as g on g.geography_type = 'plan_total' and g.plan_code = pa.plan_code
),

in_municipality as (
    select a.area_code, 'RANDERS' as geography_code
    from areas as a
),

outside_plan as (
    select a.area_code, g.geography_code
    from areas as a
    join geographies as g on g.geography_type = 'municipality_excl_plan'
    where not exists (
        select 1 from plan_areas as pa
        where pa.plan_code = g.plan_code and pa.area_code = a.area_code
    )
)

select * from in_area
union all select * from in_plan_total
union all select * from in_municipality
union all select * from outside_plan
