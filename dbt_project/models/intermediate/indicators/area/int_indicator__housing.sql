-- Housing indicators: leases, moves, evictions and complaints belong to departments, not to
-- residents, so they are counted per area and summed to the plan totals and the municipality
-- (all social leases the two organisations deliver) here.
--   HP2025_PROFIL_LEJEMAAL              leases on 1 January (both organisations).
--   HP2025_SAMH_UDSAETTELSER            eviction cases decided in the year (RandersBolig only).
--   HP2025_SAMH_EFFEKTIVE_UDSAETTELSER  of those, carried out (FULDBYRDET = J).
--   HP2017_SK_FRAFLYTNING               move-outs of the year (external and internal) per 100
--                                       leases on 1 January of the year.
--   HP2017_SK_KLAGESAGER                neighbour complaints received in the year (both).
-- Lejerbo delivers no evictions: an area with a Lejerbo department is partial (areas_missing
-- counts the areas with such a department; for the municipality, Lejerbo as one organisation).
with leases as (
    select area_code, year, count(*) as n_leases
    from {{ ref('int_housing__leases') }}
    group by all
),

lease_years as (
    select distinct year from leases
),

moves as (
    select area_code, move_year as year, count(*) as n_move_outs
    from {{ ref('int_housing__moves') }}
    where move_event = 'Fraflytning'
    group by all
),

evictions as (
    select area_code, decision_year as year,
           count(*) as n_cases,
           count(*) filter (where is_carried_out) as n_carried_out
    from {{ ref('int_housing__evictions') }}
    group by all
),

complaints as (
    select area_code, complaint_year as year, count(*) as n_complaints
    from {{ ref('int_housing__complaints') }}
    group by all
),

lejerbo_areas as (
    select distinct area_code from {{ ref('housing_departments') }} where org_code = 'LEJERBO'
),

-- one row per indicator, area (NULL outside the plans) and year
per_area as (
    select 'HP2025_PROFIL_LEJEMAAL' as indicator_id, area_code, year, n_leases as numerator,
           null::double as denominator, 0 as areas_missing
    from leases
    union all
    -- evictions and complaints: every area and year the lease stock covers, zero when none
    select 'HP2025_SAMH_UDSAETTELSER', l.area_code, l.year, coalesce(e.n_cases, 0), null,
           case when l.area_code in (select area_code from lejerbo_areas) then 1 else 0 end
    from leases as l
    left join evictions as e on e.area_code is not distinct from l.area_code and e.year = l.year
    union all
    select 'HP2025_SAMH_EFFEKTIVE_UDSAETTELSER', l.area_code, l.year, coalesce(e.n_carried_out, 0), null,
           case when l.area_code in (select area_code from lejerbo_areas) then 1 else 0 end
    from leases as l
    left join evictions as e on e.area_code is not distinct from l.area_code and e.year = l.year
    union all
    select 'HP2017_SK_FRAFLYTNING', l.area_code, l.year, coalesce(m.n_move_outs, 0), l.n_leases, 0
    from leases as l
    left join moves as m on m.area_code is not distinct from l.area_code and m.year = l.year
    union all
    select 'HP2017_SK_KLAGESAGER', l.area_code, l.year, coalesce(c.n_complaints, 0), null, 0
    from leases as l
    left join complaints as c on c.area_code is not distinct from l.area_code and c.year = l.year
),

geography_of_area as (
    select area_code, area_code as geography_code, plan_code from {{ ref('plan_areas') }}
    union all
    select pa.area_code, g.geography_code, pa.plan_code
    from {{ ref('plan_areas') }} as pa
    join {{ ref('geographies') }} as g on g.geography_type = 'plan_total' and g.plan_code = pa.plan_code
),

-- the plan an indicator belongs to decides which areas and totals it is reported for
indicator_plan as (
    select indicator_id, plan_code from {{ ref('int_catalogue__indicators') }}
),

in_plan as (
    select p.indicator_id, g.geography_code, p.year,
           sum(p.numerator) as numerator, sum(p.denominator) as denominator, sum(p.areas_missing) as areas_missing
    from per_area as p
    join indicator_plan as i using (indicator_id)
    join geography_of_area as g on g.area_code = p.area_code and g.plan_code = i.plan_code
    group by all
),

municipality as (
    select indicator_id, 'RANDERS' as geography_code, year,
           sum(numerator) as numerator, sum(denominator) as denominator,
           max(case when indicator_id like 'HP2025_SAMH%UDSAETTELSER' then 1 else 0 end) as areas_missing
    from per_area
    group by all
)

select
    v.indicator_id,
    v.geography_code,
    {{ year_columns_by_kind('v.year', 'c.period_kind') }},
    v.numerator,
    v.denominator,
    cast(coalesce(v.denominator, v.numerator) as bigint) as n,
    v.areas_missing
from (select * from in_plan union all select * from municipality) as v
join {{ ref('int_catalogue__indicators') }} as c using (indicator_id)
where v.year in (select year from lease_years)
