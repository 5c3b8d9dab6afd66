-- Every outcome kind's results in one relation, per state of the after-period
-- (measured_by_year: as the report year of that year sees it, macros/cohort_outcome.sql). The
-- mart shows the state of its report year; disclosure control decides on all of them at once,
-- so that the publications of successive report years, read together, give no revision away.
-- The outcome models are those the registry names (seeds/activities_outcomes.csv, computed_by:
-- cohort_outcome_models() in macros/indicator_registry.sql).
{% for model in cohort_outcome_models() -%}
{% if not loop.first %}union all by name {% endif %}select * from {{ ref(model) }}
{% endfor %}
