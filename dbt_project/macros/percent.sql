{#- A share in percent, NULL when the denominator is 0 or missing (not 0 %, which would be a claim). -#}
{% macro percent(numerator, denominator) -%}
    case when coalesce({{ denominator }}, 0) > 0 then 100.0 * coalesce({{ numerator }}, 0) / {{ denominator }} end
{%- endmacro %}
