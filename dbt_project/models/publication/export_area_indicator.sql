-- mart_area_indicator as published: aggregates only, after disclosure control
-- (docs/disclosure-control.md). Which cells are hidden, primary and secondary, is decided in
-- quality.disclosure_area_indicator; here every column that could give a hidden cell back is
-- hidden with it: the value, its interval and n, the baseline and the change since it when the
-- baseline cell is hidden, and a target computed from a hidden baseline or reference cell.
-- Figures Danmarks Statistik and LBF published are controlled like ours: a share whose
-- value times n gives 1-2 persons is hidden too.
with mart as (
    select * from {{ ref('mart_area_indicator') }}
),

hidden as (
    select indicator_id, geography_code, period, is_suppressed
    from {{ ref('disclosure_area_indicator') }}
    where is_suppressed
),

catalogue as (
    select indicator_id, target_reference_geography, period_kind from {{ ref('int_catalogue__indicators') }}
),

rows_ as (
    select
        -- on a hidden cell 'few persons' would tell primary from secondary suppression
        -- and a change flag (which needs enough persons) would tell it is a secondary
        m.* replace (m.flag_small_n and h.is_suppressed is null as flag_small_n,
                     m.flag_implausible_change and h.is_suppressed is null as flag_implausible_change,
                     -- a hidden row with nobody behind it reads like any hidden row: not missing,
                     -- and the latest period when it is the latest (else the row before it would
                     -- be marked latest, or stale, and tell the hidden one is empty)
                     m.flag_missing and h.is_suppressed is null as flag_missing,
                     {{ is_latest_period('m', 'm.value is not null or h.is_suppressed', 'c.period_kind') }}
                         as is_latest_period),
        h.is_suppressed is not null as is_suppressed,
        hb.is_suppressed is not null as is_baseline_suppressed,
        case
            when m.target_kind in ('reduce_by_fraction', 'decreasing', 'increasing') then hb.is_suppressed is not null
            when m.target_kind = 'reference_level' then hr.is_suppressed is not null
            else false
        end as is_target_suppressed
    from mart as m
    join catalogue as c using (indicator_id)
    left join hidden as h using (indicator_id, geography_code, period)
    left join hidden as hb
        on hb.indicator_id = m.indicator_id and hb.geography_code = m.geography_code and hb.period = m.baseline_period
    left join hidden as hr
        on hr.indicator_id = m.indicator_id and hr.geography_code = c.target_reference_geography and hr.period = m.period
),

controlled as (
    -- stale is judged on the latest period as published
    select * replace (flag_stale and is_latest_period as flag_stale) from rows_
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
    -- the dates the label means: a span's own rows start at its first year with data
    case when regexp_full_match(period, '\d{4}-\d{4}') then {{ span_start('period') }} else period_start end as period_start,
    case when regexp_full_match(period, '\d{4}-\d{4}') then {{ span_end('period') }} else period_end end as period_end,
    is_latest_period,
    case when not is_suppressed then value end as value,
    case when not is_suppressed then ci_low end as ci_low,
    case when not is_suppressed then ci_high end as ci_high,
    case when not is_suppressed and coalesce(n, {{ var('small_n_threshold') }}) >= {{ var('small_n_threshold') }} then cast(n as integer) end as n,
    source_kind,
    source,
    is_suppressed as flag_disclosure_suppressed,
    flag_source_suppressed,
    flag_small_n,
    flag_partial_coverage,
    flag_missing,
    flag_stale,
    flag_implausible_change,
    -- the published reason names no count and no value that could be hidden elsewhere
    nullif(concat_ws(' ',
        {{ flag_reasons_da('controlled', with_numbers=false) }},
        case when is_suppressed then 'Tallet er skjult af hensyn til diskretionen.' end), '') as flag_reasons_da,
    baseline_period,
    case when not is_baseline_suppressed then baseline_value end as baseline_value,
    case when not is_suppressed and not is_baseline_suppressed then change_since_baseline end as change_since_baseline,
    target_kind,
    case when not is_target_suppressed then target_value end as target_value,
    target_text_da,
    target_year,
    case when is_suppressed then 'kan ikke vurderes' else status end as status,
    case
        when is_suppressed
            then 'Tallet vises ikke af hensyn til diskretionen: der er for få personer bag det, eller det kunne regnes ud fra andre tal.'
        when is_target_suppressed
            then 'Målet bygger på et tal, der ikke vises af hensyn til diskretionen; status er vurderet ud fra det fulde tal.'
        else status_reason
    end as status_reason
from controlled
