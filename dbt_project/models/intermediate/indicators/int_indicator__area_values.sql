-- Indicators computed at geography level rather than from persons in geographies: housing
-- figures (leases and moves belong to departments, not residents) and groups of institutions
-- or schools. Each model (in indicators/area/) returns:
--   indicator_id, geography_code, period, period_start, period_end,
--   numerator, denominator (NULL for counts), n (persons or units behind the value),
--   areas_missing (areas or organisations absent from a total: partial coverage).
-- The models are those the registry names (area_indicator_models(), macros/indicator_registry.sql).

with unioned as (
    {% for model in area_indicator_models() %}
    select
        '{{ model }}' as area_model,
        cast(indicator_id as varchar) as indicator_id,
        cast(geography_code as varchar) as geography_code,
        cast(period as varchar) as period,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        cast(n as bigint) as n,
        cast(coalesce(areas_missing, 0) as integer) as areas_missing
    from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    u.*,
    {{ indicator_value('u.numerator', 'u.denominator', 'c.unit', 'c.unit_factor') }} as value,
    'computed' as source_kind
from unioned as u
-- a left join: an id the catalogue lacks keeps its rows and fails is_registered_indicator
left join {{ ref('int_catalogue__indicators') }} as c using (indicator_id)
