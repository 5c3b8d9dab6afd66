-- The area profile per geography and year, one row each, as the plan's area descriptions
-- give it: residents, leases, children and their share, non-western share, household income
-- as % of the municipality, children of single providers, move-out rate.
-- The move-out rate is computed here for every area, plan total, the municipality and the
-- municipality without each plan, wherever there are leases: the HP2017 indicator it used to
-- read exists only for the 2017-21 plan's three areas. It is LBF's fraflytningsprocent (the
-- plan 2025-29's definition): external move-outs in the year (not within the department, not
-- ending a tenancy of one month or less; int_housing__moves.counts_as_lbf_move_out) per 100
-- leases on 1 January. A year an organisation with leases there delivered no move file is
-- missing (NULL), never 0.
{%- set profile = {
    'residents': 'HP2025_PROFIL_BEBOERE',
    'leases': 'HP2025_PROFIL_LEJEMAAL',
    'children_under_18': 'HP2025_PROFIL_BOERN_UNDER_18',
    'pct_children_under_18': 'HP2025_PROFIL_ANDEL_BOERN_UNDER_18',
    'pct_non_western': 'HP2025_PROFIL_IKKEVESTLIG_ANDEL',
    'household_income_pct_of_municipality': 'HP2025_PROFIL_HUSSTANDSINDKOMST_PCT_KOMMUNE',
    'pct_children_single_provider': 'HP2025_PROFIL_BOERN_ENLIG_FORSOERGER',
    'move_out_rate': 'move_out_rate',
} %}

with lease_counts as (
    select org_code, area_code, year, count(*) as n_leases
    from {{ ref('int_housing__leases') }}
    group by all
),

move_out_counts as (
    select org_code, area_code, move_year as year, count(*) as n_move_outs
    from {{ ref('int_housing__moves') }}
    where counts_as_lbf_move_out
    group by all
),

move_files as (
    -- the organisation-years with a delivered move file
    select distinct org_code, extract_year as year from {{ ref('int_housing__moves') }}
),

per_org_area as (
    select l.org_code, l.area_code, l.year, l.n_leases, coalesce(m.n_move_outs, 0) as n_move_outs,
           f.year is not null as has_move_file
    from lease_counts as l
    left join move_out_counts as m
        on m.org_code = l.org_code and m.area_code is not distinct from l.area_code and m.year = l.year
    left join move_files as f on f.org_code = l.org_code and f.year = l.year
),

move_out as (
    select
        'move_out_rate' as indicator_id,
        g.geography_code,
        geo.geography_name,
        geo.geography_type,
        cast(p.year as varchar) as period,
        case when bool_and(p.has_move_file) then 100.0 * sum(p.n_move_outs) / sum(p.n_leases) end as value
    from per_org_area as p
    join {{ ref('int_area__geographies') }} as g on g.area_code is not distinct from p.area_code
    join {{ ref('geographies') }} as geo on geo.geography_code = g.geography_code
    -- a year counts once it has ended by the as-of date, like every other mart's periods
    -- (macros/as_of.sql): the partial year of a mid-year delivery is not a year
    where {{ is_known_as_of('make_date(p.year::integer, 12, 31)') }}
    group by all
),

indicator as (
    select indicator_id, geography_code, geography_name, geography_type, period, value
    from {{ ref('mart_area_indicator') }}
    where indicator_id in ({% for id in profile.values() %}'{{ id }}'{% if not loop.last %}, {% endif %}{% endfor %})
      and regexp_full_match(period, '\d{4}')
    union all
    select * from move_out
)

select
    geography_code,
    any_value(geography_name) as geography_name,
    any_value(geography_type) as geography_type,
    cast(period as integer) as year,
    {%- for column, id in profile.items() %}
    max(value) filter (where indicator_id = '{{ id }}') as {{ column }}{% if not loop.last %},{% endif %}
    {%- endfor %}
from indicator
group by geography_code, period
