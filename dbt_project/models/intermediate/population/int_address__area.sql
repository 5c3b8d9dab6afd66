-- Every distinct address residents have lived at or a lease is at, placed in its plan area
-- (NULL outside the areas). Matching the few thousand distinct addresses once, instead of
-- every person-year, keeps the range join cheap at any population size.
with addresses as (
    select street_name, house_number, house_letter from {{ ref('stg_kommune__cpr_befolkning') }}
    union
    select street_name, house_number, house_letter from {{ ref('stg_randersbolig__lejemaal') }}
    union
    select street_name, house_number, house_letter from {{ ref('stg_lejerbo__lejemaal') }}
),

ranges as (
    select * from {{ ref('int_area__address_ranges') }}
)

-- (address, area) pairs made distinct first: counting them is the distinct count of areas,
-- without a distinct aggregate per address (millions of addresses nationally).
select
    street_name,
    house_number,
    house_letter,
    min(area_code) as area_code,
    -- More than one area for an address would mean overlapping ranges: surfaced by a test.
    count(area_code) as n_matching_areas
from (
    select distinct a.street_name, a.house_number, a.house_letter, r.area_code
    from addresses as a
    left join ranges as r
        on r.street_key = lower(trim(a.street_name))
        and {{ address_in_range('a.house_number', 'a.house_letter', 'r') }}
)
group by all
