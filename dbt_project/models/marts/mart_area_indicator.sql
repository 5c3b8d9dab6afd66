-- Every indicator of both plans x geography x period, with its flags, confidence interval,
-- baseline, target and status (opfyldt / ikke opfyldt endnu / kan ikke vurderes) with a
-- one-line reason: the green and yellow smileys of the annual report, computed.
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
    -- only the periods that had ended by the report year's as-of date (macros/as_of.sql): every
    -- row, latest value, previous period, baseline, status and flag below is as known then
    select indicator_id, period, min(period_start) as period_start, max(period_end) as period_end
    from values_
    group by indicator_id, period
    having {{ is_known_as_of('max(period_end)') }}
),

scaffold as (
    -- a row for every plan geography in every period the indicator has, so a plan area
    -- without a value is a visible, flagged row instead of a silent gap
    select keys.indicator_id, keys.geography_code, keys.period, p.period_start, p.period_end
    from (
        select pg.indicator_id, pg.geography_code, p.period
        from plan_geographies as pg
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

with_ci as (
    select
        r.*,
        c.unit_factor,
        case
            when c.value_kind = 'share' and r.denominator > 0 and r.numerator is not null then
                {{ wilson_interval('r.numerator / r.denominator', 'r.denominator', 'low') }} * c.unit_factor
            when c.value_kind = 'mean' and r.weighted_sum_of_squares is not null and r.n > 1 then
                r.value - 1.96 * sqrt(greatest(r.weighted_sum_of_squares / r.denominator - power(r.value, 2), 0) / r.n)
        end as ci_low,
        case
            when c.value_kind = 'share' and r.denominator > 0 and r.numerator is not null then
                {{ wilson_interval('r.numerator / r.denominator', 'r.denominator', 'high') }} * c.unit_factor
            when c.value_kind = 'mean' and r.weighted_sum_of_squares is not null and r.n > 1 then
                r.value + 1.96 * sqrt(greatest(r.weighted_sum_of_squares / r.denominator - power(r.value, 2), 0) / r.n)
        end as ci_high
    from rows_ as r
    join catalogue as c using (indicator_id)
),

with_baseline as (
    select
        w.*,
        b.value as baseline_value,
        ref.value as reference_value,
        ref.ci_low as reference_ci_low,
        ref.ci_high as reference_ci_high
    from with_ci as w
    join catalogue as c using (indicator_id)
    left join with_ci as b
        on b.indicator_id = w.indicator_id and b.geography_code = w.geography_code and b.period = c.baseline_period
    left join with_ci as ref
        on ref.indicator_id = w.indicator_id and ref.geography_code = c.target_reference_geography
        and ref.period = w.period
),

with_target as (
    select
        b.*,
        case c.target_kind
            when 'number' then c.target_value
            when 'reduce_by_fraction' then b.baseline_value * (1 - c.target_value)
            when 'reference_level' then b.reference_value
            when 'decreasing' then b.baseline_value
            when 'increasing' then b.baseline_value
        end as target_resolved
    from with_baseline as b
    join catalogue as c using (indicator_id)
),

assessed as (
    select
        t.*,
        {{ indicator_status('t', 'c') }}
    from with_target as t
    join catalogue as c using (indicator_id)
),

base as (
select
    a.indicator_id,
    c.plan_code,
    c.level,
    c.indsatsomraade,
    c.name_da as indicator_name,
    c.unit,
    c.decimals,
    c.direction,
    a.geography_code,
    g.geography_name,
    g.geography_type,
    a.period,
    a.period_start,
    a.period_end,
    -- the latest period with a value, judged separately for yearly periods and multi-year spans
    coalesce(a.value is not null and a.period_end = max(a.period_end) filter (where a.value is not null) over (
        partition by a.indicator_id, a.geography_code, regexp_full_match(a.period, '\d{4}-\d{4}')
    ), false) as is_latest_period,
    a.numerator,
    a.denominator,
    a.n,
    a.value,
    a.ci_low,
    a.ci_high,
    a.source_kind,
    c.source,
    a.source_marker,
    a.source_marker = 'suppressed' as flag_source_suppressed,
    coalesce(a.n < {{ var('small_n_threshold') }}, false) as flag_small_n,
    a.areas_missing > 0 or a.years_with_value < a.years_in_span as flag_partial_coverage,
    a.is_missing as flag_missing,
    a.areas_missing,
    a.areas_missing_da,
    a.delivery_gap_da,
    a.years_with_value,
    a.years_in_span,
    a.departments_included,
    c.baseline_period,
    a.baseline_value,
    a.value - a.baseline_value as change_since_baseline,
    c.target_kind,
    a.target_resolved as target_value,
    c.target_text_da,
    c.target_year,
    a.status,
    a.status_reason
from assessed as a
join catalogue as c using (indicator_id)
left join geographies as g using (geography_code)
),

series as (
    -- the previous period of the same kind (year, school year, month, span) and the latest
    -- year with a value, per indicator and geography: what the stale and change flags compare
    select
        b.*,
        {{ period_series('b.period') }} as period_series,
        lag(b.period) over w as previous_period,
        lag(b.value) over w as previous_value,
        lag(b.n) over w as previous_n,
        lag(b.numerator) over w as previous_numerator,
        max(year(b.period_end)) filter (where b.value is not null) over (
            partition by b.indicator_id, b.geography_code, {{ period_series('b.period') }}
        ) as latest_year_with_value
    from base as b
    window w as (
        partition by b.indicator_id, b.geography_code, {{ period_series('b.period') }}, b.value is null
        order by b.period_end
    )
),

flagged as (
    select
        s.* exclude (period_series, previous_n, previous_numerator, latest_year_with_value),
        {{ flag_stale('s') }} as flag_stale,
        {{ flag_implausible_change('s') }} as flag_implausible_change
    from series as s
),

person_counts as (
    -- persons behind a computed cell's numerator and its complement (disclosure control); a
    -- span counts person-years, as its n does
    select indicator_id, geography_code, period, n_persons_with, n_persons_without
    from {{ ref('int_indicator__computed_values') }}
    union all
    select s.indicator_id, y.geography_code, s.period, sum(y.n_persons_with), sum(y.n_persons_without)
    from (select distinct indicator_id, period from base where regexp_full_match(period, '\d{4}-\d{4}')) as s
    join {{ ref('int_indicator__computed_values') }} as y
        on y.indicator_id = s.indicator_id
        and regexp_full_match(y.period, '\d{4}')
        and cast(y.period as integer) between cast(left(s.period, 4) as integer) and cast(right(s.period, 4) as integer)
    group by all
)

select
    f.*,
    {{ flag_reasons_da('f') }} as flag_reasons_da,
    pc.n_persons_with,
    pc.n_persons_without
from flagged as f
left join person_counts as pc using (indicator_id, geography_code, period)
