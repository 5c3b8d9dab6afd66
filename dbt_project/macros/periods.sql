{#- Period helpers shared by every indicator, so period logic is written once.
    Period labels: 'YYYY', 'YYYY/YY' (school year), 'YYYY-YYYY' (multi-year span, inclusive). -#}

{#- Number of years in a 'YYYY-YYYY' span. -#}
{% macro span_length(span_col) -%}
    (cast(right({{ span_col }}, 4) as integer) - cast(left({{ span_col }}, 4) as integer) + 1)
{%- endmacro %}

{#- First and last day of a 'YYYY-YYYY' span as its label says (a span's rows may hold fewer years). -#}
{% macro span_start(span_col) -%} make_date(cast(left({{ span_col }}, 4) as integer), 1, 1) {%- endmacro %}
{% macro span_end(span_col) -%} make_date(cast(right({{ span_col }}, 4) as integer), 12, 31) {%- endmacro %}

{#- The school year starting in August of year y, as the plans print it: 2023 -> '2023/24'. -#}
{% macro school_year_label(start_year_col) -%}
    ({{ start_year_col }} || '/' || lpad(cast(({{ start_year_col }} + 1) % 100 as varchar), 2, '0'))
{%- endmacro %}

{#- First and last day of the school year starting in August of year y. -#}
{% macro school_year_start(start_year_col) -%} make_date({{ start_year_col }}, 8, 1) {%- endmacro %}
{% macro school_year_end(start_year_col) -%} make_date({{ start_year_col }} + 1, 7, 31) {%- endmacro %}

{#- The 12-month window October (year y-1) to September (year y), as 'YYYY-10..YYYY-09'. -#}
{% macro oct_sep_window_label(end_year_col) -%}
    (({{ end_year_col }} - 1) || '-10..' || {{ end_year_col }} || '-09')
{%- endmacro %}

{#- Decimal comma for Danish text: format a number with d decimals. Rounded to 9 decimals first:
    DuckDB's parallel sums may change the last bits, and 13.35 must not print as 13,3 in one run
    and 13,4 in the next (published files are byte-identical across reruns). -#}
{% macro danish_number(value_col, decimals=1) -%}
    replace(format('{:.{{ decimals }}f}', round(cast({{ value_col }} as double), 9)), '.', ',')
{%- endmacro %}

{#- The end year of the October-September window a month belongs to (October 2023 -> 2024). -#}
{% macro oct_sep_window_end_year(year_col, month_col) -%}
    (case when {{ month_col }} >= 10 then {{ year_col }} + 1 else {{ year_col }} end)
{%- endmacro %}

{#- period, period_start, period_end of the October-September window ending in September of a year. -#}
{% macro oct_sep_window_columns(end_year_col) -%}
    {{ oct_sep_window_label(end_year_col) }} as period,
    make_date({{ end_year_col }} - 1, 10, 1) as period_start,
    make_date({{ end_year_col }}, 9, 30) as period_end
{%- endmacro %}

{#- The end of a calendar year and the date of a 1 January stock: the period columns below and
    the models that keep a year column instead (the as-of cut) take the dates from here. -#}
{% macro calendar_year_end(year_col) -%} make_date({{ year_col }}, 12, 31) {%- endmacro %}
{% macro stock_1jan_date(year_col) -%} make_date({{ year_col }}, 1, 1) {%- endmacro %}

{#- period, period_start, period_end of a calendar year (a flow counted over the year). -#}
{% macro calendar_year_columns(year_col) -%}
    cast({{ year_col }} as varchar) as period,
    {{ stock_1jan_date(year_col) }} as period_start,
    {{ calendar_year_end(year_col) }} as period_end
{%- endmacro %}

{#- period, period_start, period_end of a 1 January stock: a point in time. -#}
{% macro stock_1jan_columns(year_col) -%}
    cast({{ year_col }} as varchar) as period,
    {{ stock_1jan_date(year_col) }} as period_start,
    {{ stock_1jan_date(year_col) }} as period_end
{%- endmacro %}

{#- period, period_start, period_end of a year by its catalogue period_kind: a 1 January stock
    is a point in time, anything else yearly covers the calendar year. -#}
{% macro year_columns_by_kind(year_col, period_kind_col) -%}
    cast({{ year_col }} as varchar) as period,
    {{ stock_1jan_date(year_col) }} as period_start,
    case when {{ period_kind_col }} = 'stock_1jan' then {{ stock_1jan_date(year_col) }}
         else {{ calendar_year_end(year_col) }} end as period_end
{%- endmacro %}

{#- Age in completed years on a date. -#}
{% macro age_on(birth_date_col, date_col) -%}
    date_sub('year', {{ birth_date_col }}, {{ date_col }})
{%- endmacro %}

{#- Whether a row is the latest period with a value of its indicator and geography. An indicator
    followed on multi-year averages (catalogue period_kind 'multi_year_avg') is latest on its
    latest span, never on the single years shown beside it; every other indicator on its latest
    single period. `has_value` says what counts as a value: the mart's value, or in the export a
    value or a hidden cell (so an empty hidden row is the latest as any hidden row is). -#}
{% macro is_latest_period(r, has_value, period_kind) -%}
    {%- set headline = "regexp_full_match(" ~ r ~ ".period, '\d{4}-\d{4}') = (" ~ period_kind ~ " = 'multi_year_avg')" -%}
    coalesce(({{ has_value }}) and {{ headline }} and {{ r }}.period_end = max({{ r }}.period_end) filter (
        where ({{ has_value }}) and {{ headline }}) over (partition by {{ r }}.indicator_id, {{ r }}.geography_code
    ), false)
{%- endmacro %}
