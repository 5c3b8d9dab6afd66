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
        (select last_day(max(event_date)) from (
            select max(benefit_month) as event_date from {{ ref('stg_kommune__jobcenter_ydelser') }}
            union all select max(greatest(start_date, coalesce(end_date, start_date))) from {{ ref('stg_kommune__indsatsdeltagelse') }}
            union all select max(assessment_date) from {{ ref('stg_kommune__sprogvurdering') }}
            union all select max(move_date) from {{ ref('stg_randersbolig__flytninger') }}
            union all select max(move_date) from {{ ref('stg_lejerbo__flytninger') }}
            union all select max(decision_date) from {{ ref('stg_randersbolig__udsaettelser') }}
            union all select max(complaint_date) from {{ ref('stg_randersbolig__klager') }}
            union all select max(complaint_date) from {{ ref('stg_lejerbo__klager') }}
        ))
    {%- endif -%}
{%- endmacro %}


{#- The population marts' as-of date: the end of the report year, or the data vintage if the data
    end earlier. A measurement period (a school year, an October-September window, a 1 October
    status, an assessment) counts only if it has ended by this day. -#}
{% macro population_as_of() -%}
    least(make_date({{ var('report_year') }}, 12, 31), {{ data_vintage() }})
{%- endmacro %}
