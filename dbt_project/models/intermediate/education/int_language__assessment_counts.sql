-- The language table's counts per geography and calendar year, for every year ended by the data
-- vintage (whatever the report year): mart_language_assessment keeps the years known by its
-- report year, and disclosure control decides on all of them, so publications for different
-- report years hide the same cells. Every plan area gets a row every year, 0 if nobody was
-- assessed, so a missing area is visible rather than silently absent.
with assessments as (
    -- calendar years that had ended by the data vintage; the mart keeps those ended by the
    -- report year's as-of date (macros/as_of.sql)
    select * from {{ ref('int_language__assessments') }}
    -- one assessment per child and year (is_counted, int_language__assessments)
    where is_presumed_need and is_counted
      and {{ is_known_by_vintage(calendar_year_end('assessment_year')) }}
),

membership as (
    select * from {{ ref('int_person__geography_year') }}
),

counted as (
    select
        m.geography_code,
        a.assessment_year,
        count(*) as n_assessed,
        count(*) filter (where a.result_category = 'generel') as n_generel,
        count(*) filter (where a.result_category = 'fokuseret') as n_fokuseret,
        count(*) filter (where a.result_category = 'saerlig') as n_saerlig
    from assessments as a
    join membership as m
        on m.person_key = a.person_key
        and m.year = a.assessment_year
    group by all
),

scaffold as (
    -- every geography the population model knows, for every year with assessments
    select g.geography_code, g.geography_name, g.geography_type, g.sort_order, y.assessment_year
    from {{ ref('geographies') }} as g
    cross join (select distinct assessment_year from assessments) as y
    where g.geography_type in ('area', 'plan_total', 'municipality', 'municipality_excl_plan')
)

select
    s.geography_code,
    s.geography_name,
    s.geography_type,
    s.assessment_year,
    coalesce(c.n_assessed, 0) as n_assessed,
    coalesce(c.n_generel, 0) as n_generel,
    coalesce(c.n_fokuseret, 0) as n_fokuseret,
    coalesce(c.n_saerlig, 0) as n_saerlig,
    {{ percent('c.n_generel', 'c.n_assessed') }} as pct_generel,
    {{ percent('c.n_fokuseret', 'c.n_assessed') }} as pct_fokuseret,
    {{ percent('c.n_saerlig', 'c.n_assessed') }} as pct_saerlig,
    coalesce(c.n_assessed, 0) < {{ var('small_n_threshold') }} as is_small_n,
    s.sort_order
from scaffold as s
left join counted as c
    on c.geography_code = s.geography_code
    and c.assessment_year = s.assessment_year
