{#- The data vintage: the day the loaded extracts describe the world up to. The real extracts
    carry no delivery date, so int_delivery__vintage derives it once from the data (the last day
    of the month of the latest dated event); the demo's partial-year files extracted on
    31 October 2026 give 2026-10-31. A refresh may set it instead with
    --vars '{data_vintage: "2026-10-31"}' (a date as text). It caps as_of_date() (macros/as_of.sql). -#}
{% macro data_vintage() -%}
    {%- if var('data_vintage', none) -%}
        cast('{{ var("data_vintage") }}' as date)
    {%- else -%}
        (select data_vintage from {{ ref('int_delivery__vintage') }})
    {%- endif -%}
{%- endmacro %}
