-- Placements outside the home (HP2017 overall goal 2). A child counts in year Y when a
-- placement is active at some time in Y and the child is 0-17 on 1 January. Each placement
-- once, as its latest delivery knows it (int_spells__placements: a stale open copy in an
-- earlier yearly file does not keep a child placed), and only years whose anbringelser file
-- was delivered (a missing year is a gap, not 0 placed). The child is placed in
-- geographies by its own address in the 1 January stock of Y (the extract keeps placed
-- children on the custody holder's address; see the catalogue note).
--   HP2017_OM_ANBRAGTE_BOERN  count of placed children: one row per child 0-17 (value 1 placed,
--       0 not), so an area with children and none placed counts a true 0 over its children
--   HP2017_OM_ANBRAGTE_ANDEL  placed children among all residents aged 0-17 on 1 January
with children as (
    select person_key, year, birth_date
    from {{ ref('int_person__residence_year') }}
    where birth_date > make_date(year - 18, 1, 1)
),

delivered_years as (
    select year from {{ ref('int_spells__delivered_years') }} where spell_source = 'anbringelser'
),

placement_years as (
    select distinct p.person_key, y.year
    from {{ ref('int_spells__placements') }} as p
    join delivered_years as y
        on p.start_date <= make_date(y.year, 12, 31)
        and coalesce(p.active_until, date '9999-12-31') >= make_date(y.year, 1, 1)
),

flagged as (
    select c.person_key, c.year, p.person_key is not null as placed
    from children as c
    join delivered_years using (year)
    left join placement_years as p using (person_key, year)
)

select 'HP2017_OM_ANBRAGTE_BOERN' as indicator_id, person_key, {{ calendar_year_columns('year') }},
       year as membership_year, 1.0 as weight, case when placed then 1.0 else 0.0 end as value
from flagged
union all
select 'HP2017_OM_ANBRAGTE_ANDEL', person_key, {{ calendar_year_columns('year') }},
       year, 1.0, case when placed then 1.0 else 0.0 end
from flagged
