-- Every indicator of both plans x geography x period, with its flags, confidence interval,
-- baseline, target and status (opfyldt / ikke opfyldt endnu / kan ikke vurderes) with a
-- one-line reason: the green and yellow smileys of the annual report, computed.
with catalogue as (
    select * from {{ ref('int_catalogue__indicators') }}
),

geographies as (
    select * from {{ ref('geographies') }}
),

rows_ as (
    -- only the periods that had ended by the report year's as-of date (macros/as_of.sql): every
    -- row, latest value, previous period, baseline, status and flag below is as known then
    select * exclude (period_known_end, n_persons_with, n_persons_without)
    from {{ ref('int_indicator__rows') }}
    where {{ is_known_as_of('period_known_end') }}
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
    -- the latest period with a value (a multi-year-average indicator's latest span)
    {{ is_latest_period('a', 'a.value is not null', 'c.period_kind') }} as is_latest_period,
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
)

select
    f.*,
    {{ flag_reasons_da('f') }} as flag_reasons_da,
    pc.n_persons_with,
    pc.n_persons_without
from flagged as f
left join {{ ref('int_indicator__rows') }} as pc using (indicator_id, geography_code, period)
