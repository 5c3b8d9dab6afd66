-- Every person-level indicator model, stacked (a view, as the models are: the rows are only
-- aggregated, in int_indicator__computed_values, which counts them as persons). Each model
-- (tag person_indicator) returns exactly one row per person and period with the same columns:
--   indicator_id, person_key, period, period_start, period_end,
--   membership_year  the 1 January stock that places the person in geographies,
--   weight           the person's contribution to the denominator (1, or e.g. months enrolled),
--   value            the person's value: 0/1 for a share, days, a grade ...
-- A new person-level indicator is a catalogue row plus one such model, listed here
-- (tests/test_indicator_catalogue.py checks the list against the models' tags).
{%- set person_indicator_models = [
    'int_indicator__language',
    'int_indicator__school_absence',
    'int_indicator__youth_education',
    'int_indicator__youth_school',
    'int_indicator__daycare_language',
    'int_indicator__placements',
    'int_indicator__labour_market',
    'int_indicator__kontanthjaelp',
    'int_indicator__population_profile',
] %}

{% for model in person_indicator_models %}
select
    cast(indicator_id as varchar) as indicator_id,
    cast(person_key as varchar) as person_key,
    cast(period as varchar) as period,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end,
    cast(membership_year as integer) as membership_year,
    cast(weight as double) as weight,
    cast(value as double) as value
from {{ ref(model) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
