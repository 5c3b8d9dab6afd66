{{ config(schema='quality') }}
-- Which computed cells of mart_area_indicator may be published (docs/disclosure-control.md).
-- Internal: lives in the quality schema, never in exports, so the reasons for suppression
-- (which tell primary from secondary) are not published; the quality report lists them.
with mart as (
    select m.*, c.value_kind
    from {{ ref('mart_area_indicator') }} as m
    join {{ ref('int_catalogue__indicators') }} as c using (indicator_id)
),

cells as (
    -- figures Danmarks Statistik and LBF published pass through as they published them; an
    -- empty cell reveals nothing and cannot hide anything either
    select
        indicator_id || ' | ' || geography_code || ' | ' || period as cell_id,
        indicator_id || ' | ' || period as group_key,
        indicator_id,
        geography_code,
        period,
        coalesce(n, denominator, 0) as cost,
        case
            when {{ is_small_count('n') }} then 'færre end {{ var("small_n_threshold") }} personer bag tallet'
            when unit = 'count' and {{ is_small_count('numerator') }}
                then 'antallet er under {{ var("small_n_threshold") }}'
            when value_kind = 'share' and unit <> 'count' and {{ is_small_count('numerator') }}
                then 'færre end {{ var("small_n_threshold") }} personer med egenskaben'
            when value_kind = 'share' and unit <> 'count' and {{ is_small_count('denominator - numerator') }}
                then 'færre end {{ var("small_n_threshold") }} personer uden egenskaben'
        end as primary_reason_da
    from mart
    where source_kind = 'computed' and value is not null
),

primary_cells as (
    select cell_id, cost, primary_reason_da is not null as is_primary from cells
),

members as (
    {{ geography_relation_members('cells') }}
    union all
    -- a multi-year span is computed from its years (sum of counts, average of values)
    select span.indicator_id || ' | ' || span.geography_code || ' | ' || span.period || ': årene = perioden',
           year_.cell_id, false
    from cells as span
    join cells as year_
        on year_.indicator_id = span.indicator_id
        and year_.geography_code = span.geography_code
        and regexp_full_match(year_.period, '\d{4}')
        and cast(year_.period as integer) between cast(left(span.period, 4) as integer) and cast(right(span.period, 4) as integer)
    where regexp_full_match(span.period, '\d{4}-\d{4}')
    union all
    select indicator_id || ' | ' || geography_code || ' | ' || period || ': årene = perioden', cell_id, true
    from cells
    where regexp_full_match(period, '\d{4}-\d{4}')
),

suppression as (
    {{ secondary_suppression('primary_cells', 'members') }}
)

select
    c.indicator_id,
    c.geography_code,
    c.period,
    {{ disclosure_decision_columns('c', 's') }}
from cells as c
join suppression as s using (cell_id)
