{#- One row per indicator and period of a plan, a value and a status column per geography:
    the layout BI tools and the annual report's tables want. Geography codes are listed by the
    caller because a pivot's columns must be known when the model is compiled. -#}
{% macro wide_indicator_view(plan_code, geography_codes) %}
select
    indicator_id,
    any_value(level) as level,
    any_value(indsatsomraade) as indsatsomraade,
    any_value(indicator_name) as indicator_name,
    any_value(unit) as unit,
    period,
    any_value(baseline_period) as baseline_period,
    any_value(target_text_da) as target_text_da,
    {%- for code in geography_codes %}
    max(value) filter (where geography_code = '{{ code }}') as "{{ code }}_value",
    max(status) filter (where geography_code = '{{ code }}') as "{{ code }}_status"{% if not loop.last %},{% endif %}
    {%- endfor %}
from {{ ref('mart_area_indicator') }}
where plan_code = '{{ plan_code }}'
group by indicator_id, period
{% endmacro %}
