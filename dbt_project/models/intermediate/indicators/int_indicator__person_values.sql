-- Every person-level indicator model (macros/indicator_models.sql: person_indicator_models),
-- stacked: a view for analysts and tests; int_indicator__computed_values reads the models
-- itself, so an incremental refresh can limit each one to the years that changed.
{% for model in person_indicator_models() %}
{{ person_indicator_rows(model) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
