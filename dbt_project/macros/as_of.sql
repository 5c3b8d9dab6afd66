{#- "As known at the end of the report year": every mart that reaches the publication schema keeps
    only the periods that had ended by one date, so a publication for an earlier report year
    (a backfill) shows what could be known then: its latest value, previous period, baseline,
    change, status and flags are all judged among those periods. This file is the one place the
    date is computed; everything else asks these macros. -#}

{#- The cut date: 31 December of var report_year, or the data vintage (macros/data_vintage.sql)
    when the extracts end earlier, so a partial year delivered mid-year is never published as a
    year. -#}
{% macro as_of_date() -%}
    least(date '{{ var("report_year") | int }}-12-31', {{ data_vintage() }})
{%- endmacro %}

{#- Whether a period (by its period_end, as the period macros in periods.sql give it) had ended
    by the cut date: calendar year Y and a 1 January stock of Y belong to report year Y, school
    year 2024/25 and the window 2024-10..2025-09 to 2025, a span 2021-2025 to 2025. -#}
{% macro is_known_as_of(period_end) -%}
    ({{ period_end }} <= {{ as_of_date() }})
{%- endmacro %}

{#- The latest calendar year that had ended by the cut date (the report year itself when the
    cut is 31 December): what a refresh can expect the registers to cover. -#}
{% macro latest_complete_year() -%}
    (year({{ as_of_date() }} + 1) - 1)
{%- endmacro %}

{#- Whether a period had ended by the data vintage, whatever the report year (no vintage: every
    period; least() in as_of_date() ignores a missing vintage the same way): what disclosure
    control decides on, so all report years' publications share one pattern. -#}
{% macro is_known_by_vintage(period_end) -%}
    ({{ period_end }} <= coalesce({{ data_vintage() }}, date '9999-12-31'))
{%- endmacro %}
