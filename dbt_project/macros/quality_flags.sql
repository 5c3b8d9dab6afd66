{#- Quality flags on mart cells beyond what the sources mark themselves, and the one-line
    Danish reason a board member reads next to a flagged figure. Thresholds are dbt vars so
    the monitoring unit can tune them without touching SQL. -#}

{#- The kind of period a label is, so a value is compared with the previous period of its
    own kind: years with years, school years with school years, months with months. -#}
{% macro period_series(period_col) -%}
    (case
        when regexp_full_match({{ period_col }}, '\d{4}') then 'year'
        when regexp_full_match({{ period_col }}, '\d{4}/\d{2}') then 'school_year'
        when regexp_full_match({{ period_col }}, '\d{4}-\d{2}') then 'month'
        when regexp_full_match({{ period_col }}, '\d{4}-\d{4}') then 'span'
        else 'other'
    end)
{%- endmacro %}

{#- The year a refresh expects as the latest for a source kind: a refresh for report_year
    expects the municipality's own registers to cover that year (the latest year complete by the
    as-of date, macros/as_of.sql), while Danmarks Statistik and LBF publish with a lag (var
    published_source_lag_years). -#}
{% macro expected_latest_year(source_kind_col) -%}
    ({{ latest_complete_year() }} - case when {{ source_kind_col }} = 'published' then {{ var('published_source_lag_years', 1) }} else 0 end)
{%- endmacro %}

{#- Stale: the latest yearly value of an indicator and geography is older than the refresh
    expects. Flagged on that latest row, where a reader looks for the current figure. Plans that
    ended before the expected year are not expected to be followed up. -#}
{% macro flag_stale(r) -%}
    coalesce(
        {{ r }}.is_latest_period
        and {{ r }}.period_series in ('year', 'school_year')
        and {{ r }}.latest_year_with_value < {{ expected_latest_year(r ~ '.source_kind') }}
        and {{ r }}.plan_code in (
            select plan_code from {{ ref('plans') }}
            where year(period_end) >= {{ expected_latest_year(r ~ '.source_kind') }}
        ),
        false)
{%- endmacro %}

{#- Implausible change from the previous period of the same kind, judged only where both
    values rest on enough persons (var implausible_min_n) for a jump not to be noise: more than
    var implausible_change_pct_points percentage points for shares, otherwise (rates, counts,
    means) a factor of more than var implausible_change_factor either way, with enough events. -#}
{% macro flag_implausible_change(r) -%}
    coalesce(
        {{ r }}.value is not null and {{ r }}.previous_value is not null
        and coalesce({{ r }}.n, {{ var('implausible_min_n', 20) }}) >= {{ var('implausible_min_n', 20) }}
        and coalesce({{ r }}.previous_n, {{ var('implausible_min_n', 20) }}) >= {{ var('implausible_min_n', 20) }}
        and case
            when {{ r }}.unit = 'pct'
                then abs({{ r }}.value - {{ r }}.previous_value) > {{ var('implausible_change_pct_points', 20) }}
            -- a rate or count doubling from 1 to 2 events is noise: need enough events both times
            when coalesce({{ r }}.numerator, {{ r }}.value) < {{ var('implausible_min_n', 20) }}
                 or coalesce({{ r }}.previous_numerator, {{ r }}.previous_value) < {{ var('implausible_min_n', 20) }}
                then false
            when {{ r }}.previous_value > 0 and {{ r }}.value > 0
                then greatest({{ r }}.value / {{ r }}.previous_value, {{ r }}.previous_value / {{ r }}.value)
                     > {{ var('implausible_change_factor', 2) }}
            else false
        end,
        false)
{%- endmacro %}

{#- One line, in Danish, saying why each raised flag is raised; null when none is.
    with_numbers=false leaves out counts and values: the published line must not give back a
    figure that disclosure control hides. -#}
{% macro flag_reasons_da(r, with_numbers=true) -%}
    nullif(concat_ws(' ',
        case when {{ r }}.flag_source_suppressed
            then 'Kilden har diskretioneret tallet og kun offentliggjort en markør.' end,
        case when {{ r }}.flag_small_n
            then 'Under {{ var("small_n_threshold") }} personer bag tallet{% if with_numbers %} (' || {{ r }}.n || '){% endif %}, så det er for usikkert at tolke.' end,
        case when {{ r }}.flag_partial_coverage
            then 'Tallet dækker ikke hele området: ' || concat_ws(' og ',
                    case when {{ r }}.areas_missing > 0
                        then coalesce({{ r }}.areas_missing_da || ' mangler i kilden',
                                      {{ r }}.areas_missing || ' område(r) eller afdeling(er) mangler i kilden') end,
                    case when {{ r }}.years_with_value < {{ r }}.years_in_span
                        then 'kun ' || {{ r }}.years_with_value || ' af ' || {{ r }}.years_in_span || ' år har tal'
                             || coalesce(' (' || {{ r }}.delivery_gap_da || ')', '') end) || '.' end,
        case when {{ r }}.flag_missing
            then 'Der er intet tal for ' || coalesce({{ r }}.geography_name, {{ r }}.geography_code) || ' i ' || {{ r }}.period
                 || coalesce(': ' || {{ r }}.delivery_gap_da, '') || '.' end,
        case when {{ r }}.flag_stale
            then 'Det nyeste tal er fra ' || year({{ r }}.period_end) || ', men opgørelsen for '
                 || {{ var('report_year') }} || ' venter tal fra ' || {{ expected_latest_year(r ~ '.source_kind') }} || '.' end,
        case when {{ r }}.flag_implausible_change
            then 'Usandsynligt stor ændring siden ' || {{ r }}.previous_period
                 {%- if with_numbers %} || ' (fra ' || {{ danish_number(r ~ '.previous_value', 1) }} || ' til '
                 || {{ danish_number(r ~ '.value', 1) }} || ')'{% endif %} || '; kontrollér kilden.' end
    ), '')
{%- endmacro %}
