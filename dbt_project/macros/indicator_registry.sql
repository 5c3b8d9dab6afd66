{#- Generated from the registry (computed_by in seeds/indicators_*.csv and
    seeds/activities_outcomes.csv) by `python -m orchestration.indicator_registry`; do not edit.
    Sorted by name; the order carries no meaning. -#}

{#- Person-level indicator models, stacked by int_indicator__computed_values. -#}
{% macro person_indicator_models() -%}
{{ return([
    'int_indicator__kontanthjaelp',
    'int_indicator__labour_market',
    'int_indicator__language',
    'int_indicator__placements',
    'int_indicator__population_profile',
    'int_indicator__school_absence',
    'int_indicator__youth_education',
    'int_indicator__youth_school',
]) }}
{%- endmacro %}

{#- Geography-level indicator models, stacked by int_indicator__area_values. -#}
{% macro area_indicator_models() -%}
{{ return([
    'int_indicator__housing',
    'int_indicator__institution_groups',
]) }}
{%- endmacro %}

{#- Population-level outcome models, stacked by int_cohort__outcome_states. -#}
{% macro cohort_outcome_models() -%}
{{ return([
    'int_cohort_outcome__absence',
    'int_cohort_outcome__benefit',
    'int_cohort_outcome__eviction',
    'int_cohort_outcome__language',
    'int_cohort_outcome__youth_education',
    'int_cohort_outcome__youth_school',
]) }}
{%- endmacro %}
