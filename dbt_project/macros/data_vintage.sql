{#- The data vintage: the day the loaded extracts describe the world up to.

    The real extracts carry no delivery date, so it is derived from the data: the last day of the
    month of the latest dated event in the event sources a delivery always holds (benefit months,
    participation starts and ends, language assessments, housing moves, eviction cases and
    complaints). A full-year delivery of 31 December 2025 gives 2025-12-31; the partial-year files
    extracted on 31 October 2026 give 2026-10-31 (benefit month 2026-10). A refresh may set it
    instead with --vars '{data_vintage: "2026-10-31"}' (a date as text).

    Stocks (1 January) and periods after it are not yet observed: a period counts only if it has
    ended by population_as_of() (see models/intermediate/cohorts/). -#}
{% macro data_vintage() -%}
    {%- if var('data_vintage', none) -%}
        cast('{{ var("data_vintage") }}' as date)
    {%- else -%}
        (select data_vintage from {{ ref('int_delivery__vintage') }})
    {%- endif -%}
{%- endmacro %}


{#- The population marts use the same as-of date as every other mart (macros/as_of.sql). -#}
{% macro population_as_of() -%}
    {{ as_of_date() }}
{%- endmacro %}
