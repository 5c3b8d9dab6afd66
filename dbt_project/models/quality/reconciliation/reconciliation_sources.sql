-- Where two sources measure the same thing, both values side by side with the difference. A
-- side whose source year was never delivered stays as a row with its value empty and the gap
-- in words (coverage_note_da), so an absent delivery is never read as agreement.
with pairs as (
    select * from {{ ref('reconciliation_pairs') }}
),

indicator as (
    select indicator_id, geography_code, geography_name, period, value, n, delivery_gap_da
    from {{ ref('mart_area_indicator') }}
    where value is not null or delivery_gap_da is not null
),

matched as (
    select
        p.pair_id,
        p.name_da,
        a.geography_code,
        a.geography_name,
        a.period as period_a,
        b.period as period_b,
        p.source_a_da,
        a.value as value_a,
        p.source_b_da,
        b.value as value_b,
        p.note_da,
        nullif(concat_ws('; ', a.delivery_gap_da, b.delivery_gap_da), '') as coverage_note_da
    from pairs as p
    join indicator as a on a.indicator_id = p.indicator_a
    join indicator as b
        on b.indicator_id = p.indicator_b
        and b.geography_code = a.geography_code
        and b.period = case p.period_rule
            when 'same' then a.period
            when 'window_end_year' then right(a.period, 7)[1:4]
        end
    where a.value is not null or b.value is not null
)

select
    *,
    value_a - value_b as difference,
    case when value_b <> 0 then 100.0 * (value_a - value_b) / abs(value_b) end as difference_pct
from matched
