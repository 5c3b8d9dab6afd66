-- Every indicator x geography x period the marts publish, as known by the data vintage (every
-- period, whatever the report year): the values, their coverage flags' inputs and the persons
-- behind each cell. mart_area_indicator keeps the periods known by its report year; disclosure
-- control (quality.disclosure_decisions) decides on all of them, so publications for different
-- report years from the same data hide the same cells (together they give nothing away).
with catalogue as (
    select * from {{ ref('int_catalogue__indicators') }}
),

geographies as (
    select * from {{ ref('geographies') }}
),

plan_geographies as (
    -- the geographies each plan reports on: its areas, all its areas, the municipality
    select c.indicator_id, g.geography_code
    from catalogue as c
    join {{ ref('plan_areas') }} as pa on pa.plan_code = c.plan_code
    join geographies as g on g.geography_code = pa.area_code
    union
    select c.indicator_id, g.geography_code
    from catalogue as c
    join geographies as g
        on (g.geography_type = 'plan_total' and g.plan_code = c.plan_code)
        or g.geography_type = 'municipality'
),

values_ as (
    select * from {{ ref('int_indicator__values') }}
),

periods as (
    -- every period that had ended by the data vintage; mart_area_indicator keeps those ended
    -- by its report year's as-of date
    select indicator_id, period, min(period_start) as period_start, max(period_end) as period_end
    from values_
    group by indicator_id, period
    having {{ is_known_by_vintage('max(period_end)') }}
),

computed_geographies as (
    -- every geography a computed indicator has a value for in some period, and for an indicator
    -- computed per area every area, plan total and (part of the) municipality: a period or an
    -- area with nobody there gets a row too, so a missing row never tells a reader that the
    -- hidden count is 0 (a reader takes an area without a row as 0 in its plan's total)
    select distinct v.indicator_id, v.geography_code
    from values_ as v
    join catalogue as c using (indicator_id)
    where c.source_kind = 'computed'
    union
    select a.indicator_id, g.geography_code
    from (
        select distinct v.indicator_id
        from values_ as v
        join catalogue as c using (indicator_id)
        join geographies as vg using (geography_code)
        where c.source_kind = 'computed' and vg.geography_type = 'area'
    ) as a
    cross join geographies as g
    where g.geography_type in ('area', 'plan_total', 'municipality', 'municipality_excl_plan')
),

scaffold as (
    -- a row for every plan geography in every period the indicator has, so a plan area
    -- without a value is a visible, flagged row instead of a silent gap
    select keys.indicator_id, keys.geography_code, keys.period, p.period_start, p.period_end
    from (
        select pg.indicator_id, pg.geography_code, p.period
        from (select * from plan_geographies union select * from computed_geographies) as pg
        join periods as p using (indicator_id)
        union
        select indicator_id, geography_code, period from values_
    ) as keys
    join periods as p using (indicator_id, period)
),

rows_ as (
    select
        s.indicator_id,
        s.geography_code,
        s.period,
        s.period_end as period_known_end,
        coalesce(v.period_start, s.period_start) as period_start,
        coalesce(v.period_end, s.period_end) as period_end,
        v.numerator,
        v.denominator,
        v.n,
        v.value,
        v.weighted_sum_of_squares,
        coalesce(v.source_kind, c.source_kind) as source_kind,
        v.source_marker,
        v.departments_included,
        coalesce(v.is_summed_from_areas, false) as is_summed_from_areas,
        coalesce(v.areas_missing, 0) as areas_missing,
        v.areas_missing_da,
        -- an undelivered source year is missing for every geography of the period, also those
        -- the scaffold adds
        coalesce(v.delivery_gap_da, max(v.delivery_gap_da) over (partition by s.indicator_id, s.period)) as delivery_gap_da,
        v.years_with_value,
        v.years_in_span,
        v.value is null and v.source_marker is null as is_missing
    from scaffold as s
    join catalogue as c using (indicator_id)
    left join values_ as v using (indicator_id, geography_code, period)
),

person_counts as (
    -- persons behind a computed cell's numerator and its complement (disclosure control); a
    -- span counts person-years, as its n does
    select indicator_id, geography_code, period, n_persons_with, n_persons_without
    from {{ ref('int_indicator__computed_values') }}
    union all
    select s.indicator_id, y.geography_code, s.period, sum(y.n_persons_with), sum(y.n_persons_without)
    from (select distinct indicator_id, period from rows_ where regexp_full_match(period, '\d{4}-\d{4}')) as s
    join {{ ref('int_indicator__computed_values') }} as y
        on y.indicator_id = s.indicator_id
        and regexp_full_match(y.period, '\d{4}')
        and cast(y.period as integer) between cast(left(s.period, 4) as integer) and cast(right(s.period, 4) as integer)
    group by all
)

select r.*, pc.n_persons_with, pc.n_persons_without
from rows_ as r
left join person_counts as pc using (indicator_id, geography_code, period)
