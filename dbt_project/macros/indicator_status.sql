{#- Wilson score interval (95 %) for a proportion p of n: the bound 'low' or 'high'.
    Better than the normal approximation for the small areas and extreme shares here. -#}
{% macro wilson_interval(p, n, bound) -%}
    (
        ({{ p }} + 1.9208 / {{ n }}
            {{ '-' if bound == 'low' else '+' }} 1.96 * sqrt({{ p }} * (1 - {{ p }}) / {{ n }} + 0.9604 / power({{ n }}, 2)))
        / (1 + 3.8416 / {{ n }})
    )
{%- endmacro %}


{#- Status of an indicator row against its target, with a one-line reason a board member
    understands. `t` is the row (value, n, ci_low/ci_high, source_marker, baseline_value,
    target_resolved, reference_*), `c` the catalogue row (direction, target_kind, unit, decimals).
    "På niveau med" (reference_level) counts as met when the area is as good as the reference
    or the reference lies inside the area's 95 % interval. Once the plan's period has ended (by
    the as-of date) a target not met is "ikke opfyldt": there is no "yet" left. -#}
{% macro indicator_status(t, c) -%}
    {%- set v = t ~ '.value' -%}
    {%- set target = t ~ '.target_resolved' -%}
    {%- set lower = c ~ ".direction = 'lower_is_better'" -%}
    {%- set better_or_equal = '((' ~ lower ~ ' and ' ~ v ~ ' <= ' ~ target ~ ') or (not ' ~ lower ~ ' and ' ~ v ~ ' >= ' ~ target ~ '))' -%}
    {%- set strictly_better = '((' ~ lower ~ ' and ' ~ v ~ ' < ' ~ target ~ ') or (not ' ~ lower ~ ' and ' ~ v ~ ' > ' ~ target ~ '))' -%}
    {%- set fmt_v = danish_number(v, 1) -%}
    {%- set fmt_t = danish_number(target, 1) -%}
    {%- set not_met = "case when " ~ c ~ ".plan_code in (select plan_code from " ~ ref('plans') ~ " where period_end <= "
                      ~ as_of_date() ~ ") then 'ikke opfyldt' else 'ikke opfyldt endnu' end" -%}
    case
        when {{ t }}.source_marker = 'suppressed' then 'kan ikke vurderes'
        when {{ v }} is null then 'kan ikke vurderes'
        when {{ c }}.target_kind = 'none' or {{ c }}.direction = 'none' then 'kan ikke vurderes'
        when {{ target }} is null then 'kan ikke vurderes'
        when coalesce({{ t }}.n, {{ var('small_n_threshold') }}) < {{ var('small_n_threshold') }} then 'kan ikke vurderes'
        when {{ c }}.target_kind in ('decreasing', 'increasing') and {{ strictly_better }} then 'opfyldt'
        when {{ c }}.target_kind in ('decreasing', 'increasing') then {{ not_met }}
        when {{ better_or_equal }} then 'opfyldt'
        when {{ c }}.target_kind = 'reference_level'
             and {{ target }} between {{ t }}.ci_low and {{ t }}.ci_high then 'opfyldt'
        else {{ not_met }}
    end as status,
    case
        when {{ t }}.source_marker = 'suppressed' then 'Kilden har diskretioneret tallet.'
        when {{ v }} is null then 'Der er ingen værdi for perioden.'
        when {{ c }}.target_kind = 'none' or {{ c }}.direction = 'none' then 'Planen fastsætter intet mål for indikatoren.'
        when {{ target }} is null and {{ c }}.target_kind = 'reference_level' then 'Der er ingen værdi for sammenligningsområdet i perioden.'
        when {{ target }} is null then 'Der er ingen baseline at måle udviklingen imod.'
        when coalesce({{ t }}.n, {{ var('small_n_threshold') }}) < {{ var('small_n_threshold') }}
            then 'For få personer (' || {{ t }}.n || ') til at vurdere udviklingen.'
        when {{ c }}.target_kind = 'decreasing'
            then 'Værdien er ' || {{ fmt_v }} || ' mod ' || {{ fmt_t }} || ' ved baseline; målet er et fald.'
        when {{ c }}.target_kind = 'increasing'
            then 'Værdien er ' || {{ fmt_v }} || ' mod ' || {{ fmt_t }} || ' ved baseline; målet er en stigning.'
        when {{ c }}.target_kind = 'reference_level'
            then 'Værdien er ' || {{ fmt_v }} || ' mod ' || {{ fmt_t }} || ' i sammenligningsområdet'
                 || case when not {{ better_or_equal }} and {{ target }} between {{ t }}.ci_low and {{ t }}.ci_high
                         then ' (forskellen er inden for den statistiske usikkerhed).' else '.' end
        else 'Værdien er ' || {{ fmt_v }} || ' mod målet ' || {{ fmt_t }} || '.'
    end as status_reason
{%- endmacro %}
