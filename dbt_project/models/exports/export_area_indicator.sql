-- mart_area_indicator as published: aggregates only, with primary suppression of computed
-- cells behind fewer than var('small_n_threshold') persons, and of shares whose persons with
-- (or without) the attribute number 1 or 2. Figures already published by Danmarks Statistik or
-- LBF pass through as those sources published them. Differencing across geographies and
-- years is the disclosure-control layer's (a later step).
with mart as (
    select m.*, c.value_kind
    from {{ ref('mart_area_indicator') }} as m
    join {{ ref('int_catalogue__indicators') }} as c using (indicator_id)
),

flagged as (
    select
        *,
        source_kind = 'computed' and (
            coalesce(n, 0) between 1 and {{ var('small_n_threshold') }} - 1
            or (value_kind = 'share' and unit <> 'count'
                and (numerator between 0.5 and {{ var('small_n_threshold') }} - 0.5
                     or denominator - numerator between 0.5 and {{ var('small_n_threshold') }} - 0.5))
            or (unit = 'count' and numerator between 0.5 and {{ var('small_n_threshold') }} - 0.5)
        ) as is_suppressed
    from mart
)

select
    indicator_id,
    plan_code,
    level,
    indsatsomraade,
    indicator_name,
    unit,
    geography_code,
    geography_name,
    geography_type,
    period,
    is_latest_period,
    case when not is_suppressed then value end as value,
    case when not is_suppressed then ci_low end as ci_low,
    case when not is_suppressed then ci_high end as ci_high,
    case when not is_suppressed and coalesce(n, {{ var('small_n_threshold') }}) >= {{ var('small_n_threshold') }} then n end as n,
    source_kind,
    source,
    is_suppressed as flag_disclosure_suppressed,
    flag_source_suppressed,
    flag_small_n,
    flag_partial_coverage,
    flag_missing,
    baseline_period,
    case when not is_suppressed then baseline_value end as baseline_value,
    case when not is_suppressed then change_since_baseline end as change_since_baseline,
    target_kind,
    target_value,
    target_text_da,
    target_year,
    case when is_suppressed then 'kan ikke vurderes' else status end as status,
    case when is_suppressed then 'Tallet er diskretioneret: for få personer.' else status_reason end as status_reason
from flagged
