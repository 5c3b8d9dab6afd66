-- The area profile per geography and year, one row each, as the plan's area descriptions
-- give it: residents, leases, children and their share, non-western share, household income
-- as % of the municipality, children of single providers, move-out rate.
{%- set profile = {
    'residents': 'HP2025_PROFIL_BEBOERE',
    'leases': 'HP2025_PROFIL_LEJEMAAL',
    'children_under_18': 'HP2025_PROFIL_BOERN_UNDER_18',
    'pct_children_under_18': 'HP2025_PROFIL_ANDEL_BOERN_UNDER_18',
    'pct_non_western': 'HP2025_PROFIL_IKKEVESTLIG_ANDEL',
    'household_income_pct_of_municipality': 'HP2025_PROFIL_HUSSTANDSINDKOMST_PCT_KOMMUNE',
    'pct_children_single_provider': 'HP2025_PROFIL_BOERN_ENLIG_FORSOERGER',
    'move_out_rate': 'HP2017_SK_FRAFLYTNING',
} %}

with indicator as (
    select indicator_id, geography_code, geography_name, geography_type, period, value
    from {{ ref('mart_area_indicator') }}
    where indicator_id in ({% for id in profile.values() %}'{{ id }}'{% if not loop.last %}, {% endif %}{% endfor %})
      and regexp_full_match(period, '\d{4}')
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
