-- Each resident, each year, in every geography they count towards: their plan area, the
-- plan totals that area belongs to, Randers Kommune, and Randers Kommune without the areas
-- of each plan they do not live in. Every person-level indicator aggregates through this
-- one model, so the geography logic exists once.
with residence as (
    select person_key, year, area_code from {{ ref('int_person__residence_year') }}
),

plan_areas as (
    select plan_code, area_code from {{ ref('plan_areas') }}
),

geographies as (
    select * from {{ ref('geographies') }}
),

in_area as (
    select r.person_key, r.year, r.area_code as geography_code
    from residence as r
    where r.area_code is not null
),

in_plan_total as (
    select r.person_key, r.year, g.geography_code
    from residence as r
    join plan_areas as pa on pa.area_code = r.area_code
    join geographies as g on g.geography_type = 'plan_total' and g.plan_code = pa.plan_code
),

in_municipality as (
    select r.person_key, r.year, 'RANDERS' as geography_code
    from residence as r
),

outside_plan as (
    select r.person_key, r.year, g.geography_code
    from residence as r
    join geographies as g on g.geography_type = 'municipality_excl_plan'
    where not exists (
        select 1 from plan_areas as pa
        where pa.plan_code = g.plan_code and pa.area_code = r.area_code
    )
)

select * from in_area
union all select * from in_plan_total
union all select * from in_municipality
union all select * from outside_plan
