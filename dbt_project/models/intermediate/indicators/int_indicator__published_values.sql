-- Indicators taken from published aggregate tables (catalogue source_kind = 'published'):
-- numerator and, where the catalogue names one, denominator come from the table's measures.
-- Plan totals the source does not publish are summed from the areas when the measures are
-- counts (a share with its denominator, or a plain count such as residents): numerator and
-- denominator over the same areas, those where the source published both. An area suppressed
-- or missing makes such a total partial (areas_missing, and their names in areas_missing_da);
-- a total with no comparable area is withheld.
with catalogue as (
    select * from {{ ref('int_catalogue__indicators') }}
),

cells as (
    select * from {{ ref('int_published__cells') }}
),

published as (
    select
        c.indicator_id,
        num.geography_code,
        {{ calendar_year_columns('num.extract_year') }},
        num.value as numerator,
        den.value as denominator,
        coalesce(num.value_marker, den.value_marker) as source_marker,
        num.departments_included,
        false as is_summed_from_areas,
        0 as areas_missing,
        null::varchar as areas_missing_da
    from catalogue as c
    join cells as num
        on num.source = c.source and num.measure = c.source_numerator
    left join cells as den
        on den.source = c.source and den.measure = c.source_denominator
        and den.geography_name = num.geography_name and den.extract_year = num.extract_year
    where num.geography_code is not null
),

plan_areas as (
    select pa.plan_code, pa.area_code, g.geography_name as area_name, t.geography_code as total_code, g.sort_order
    from {{ ref('plan_areas') }} as pa
    join {{ ref('geographies') }} as g on g.geography_code = pa.area_code
    join {{ ref('geographies') }} as t on t.geography_type = 'plan_total' and t.plan_code = pa.plan_code
),

summable as (
    -- indicators whose areas add up: counts with a denominator, and plain counts
    select indicator_id from catalogue
    where source_denominator is not null or (unit = 'count' and source_denominator is null)
),

area_cells as (
    -- every area of a plan for every indicator and period the source has, published or not
    -- (each plan's total, as before: the area profile shows an indicator for both plans' areas)
    select p.indicator_id, pa.total_code, pa.plan_code, pa.area_code, pa.area_name, pa.sort_order, p.period,
           a.period_start, a.period_end, a.numerator, a.denominator,
           a.numerator is not null
               and (a.denominator is not null or c.source_denominator is null) as is_comparable
    from (select distinct indicator_id, period from published where indicator_id in (select indicator_id from summable)) as p
    join catalogue as c using (indicator_id)
    cross join plan_areas as pa
    left join published as a
        on a.indicator_id = p.indicator_id and a.period = p.period and a.geography_code = pa.area_code
),

plan_totals as (
    select
        indicator_id,
        total_code as geography_code,
        period,
        min(period_start) as period_start,
        max(period_end) as period_end,
        sum(numerator) filter (where is_comparable) as numerator,
        sum(denominator) filter (where is_comparable) as denominator,
        null as source_marker,
        null as departments_included,
        true as is_summed_from_areas,
        count(*) filter (where not is_comparable) as areas_missing,
        string_agg(area_name, ', ' order by sort_order) filter (where not is_comparable) as areas_missing_da
    from area_cells as a
    where not exists (
        -- the source's own total wins
        select 1 from published as q
        where q.indicator_id = a.indicator_id and q.period = a.period and q.geography_code = a.total_code
    )
    group by indicator_id, total_code, period
    having bool_or(is_comparable)
),

national_references as (
    -- the whole country's value of a computed indicator, from the national reference table
    select
        r.indicator_id,
        'DK' as geography_code,
        n.period,
        make_date(cast(left(n.period, 4) as integer), 1, 1) as period_start,
        make_date(cast(left(n.period, 4) as integer) + (length(n.period) > 4)::int, 12, 31) as period_end,
        n.value as numerator,
        null::double as denominator,
        n.value_marker as source_marker,
        null as departments_included,
        false as is_summed_from_areas,
        0 as areas_missing,
        null::varchar as areas_missing_da
    from {{ ref('national_reference_measures') }} as r
    join {{ ref('stg_nationale__referencer') }} as n using (measure)
),

unioned as (
    select * from published
    union all by name
    select * from plan_totals
    union all by name
    select * from national_references
),

rated as (
    select u.*, case when u.denominator is null then u.numerator
                     when u.denominator > 0 then u.numerator / u.denominator end as rate
    from unioned as u
)

select
    r.* exclude (rate),
    case
        -- relative to another geography: the area's rate over the reference's rate
        when c.value_reference_geography is not null then c.unit_factor * r.rate / nullif(ref.rate, 0)
        when r.denominator is null then r.numerator
        else c.unit_factor * r.rate
    end as value,
    -- published tables give counts, not persons behind a share; the denominator is the n
    cast(r.denominator as bigint) as n,
    'published' as source_kind
from rated as r
join catalogue as c using (indicator_id)
left join rated as ref
    on ref.indicator_id = r.indicator_id and ref.period = r.period
    and ref.geography_code = c.value_reference_geography
