-- Both plans' indicator catalogues as one relation, with the factor that turns a ratio into
-- the indicator's unit (percent, per 100, per 1,000).
with unioned as (
    select * from {{ ref('indicators_hp2017') }}
    union all by name
    select * from {{ ref('indicators_hp2025') }}
)

select
    *,
    case unit
        when 'pct' then 100.0
        when 'per_100' then 100.0
        when 'per_1000' then 1000.0
        when 'pct_of_reference' then 100.0
        else 1.0
    end as unit_factor,
    -- shares get a Wilson interval, means a normal one, counts none
    case
        when unit in ('pct', 'per_100', 'per_1000') then 'share'
        when unit in ('mean', 'days', 'kr') then 'mean'
        else 'other'
    end as value_kind
from unioned
