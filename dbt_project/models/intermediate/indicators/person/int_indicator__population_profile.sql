-- Area profile counts from the CPR stock on 1 January: residents, children under 18 and their
-- share. One row per resident and stock year for each indicator, the count of children too
-- (value 0 for an adult), so an area without children counts a true 0; counts are the sum of value.
with residents as (
    select person_key, year, age_years as age
    from {{ ref('int_person__residence_year') }}
),

indicators as (
    select 'HP2025_PROFIL_BEBOERE' as indicator_id, person_key, year, 1.0 as value from residents
    union all
    select 'HP2025_PROFIL_BOERN_UNDER_18', person_key, year, case when age < 18 then 1.0 else 0.0 end
    from residents
    union all
    select 'HP2025_PROFIL_ANDEL_BOERN_UNDER_18', person_key, year, case when age < 18 then 1.0 else 0.0 end
    from residents
)

select
    indicator_id,
    person_key,
    {{ stock_1jan_columns('year') }},
    year as membership_year,
    1.0 as weight,
    value
from indicators
