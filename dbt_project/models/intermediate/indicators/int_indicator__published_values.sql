-- Indicators taken from published aggregate tables (catalogue source_kind = 'published'):
-- numerator and, where the catalogue names one, denominator come from the table's measures.
-- Plan totals the source does not publish are summed from the areas when the measure is a
-- count; an area that is suppressed or missing makes such a total partial.
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
        0 as areas_missing
    from catalogue as c
    join cells as num
        on num.source = c.source and num.measure = c.source_numerator
    left join cells as den
        on den.source = c.source and den.measure = c.source_denominator
        and den.geography_name = num.geography_name and den.extract_year = num.extract_year
    where num.geography_code is not null
),

plan_totals as (
    -- sum the areas where the source gives counts (a denominator) but no plan total
    select
        p.indicator_id,
        g.geography_code,
        p.period,
        min(p.period_start) as period_start,
        max(p.period_end) as period_end,
        sum(p.numerator) as numerator,
        sum(p.denominator) as denominator,
        null as source_marker,
        null as departments_included,
        true as is_summed_from_areas,
        count(*) filter (where p.numerator is null or p.denominator is null)
            + (select count(*) from {{ ref('plan_areas') }} where plan_code = g.plan_code) - count(*) as areas_missing
    from published as p
    join {{ ref('plan_areas') }} as pa on pa.area_code = p.geography_code
    join {{ ref('geographies') }} as g on g.geography_type = 'plan_total' and g.plan_code = pa.plan_code
    join catalogue as c on c.indicator_id = p.indicator_id
    where c.source_denominator is not null
      and not exists (
          select 1 from published as q
          where q.indicator_id = p.indicator_id and q.period = p.period and q.geography_code = g.geography_code
      )
    group by p.indicator_id, g.geography_code, g.plan_code, p.period
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
        0 as areas_missing
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
