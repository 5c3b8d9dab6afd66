-- Language: needing focused or special language support (Sprogvurdering 3-6) at the latest
-- assessment before and the first after the start year. A year with two assessments counts
-- the higher need. An assessment is a measurement once made: the assessments up to the as-of
-- date count (a year still running counts with those made so far).
with panel as (
    select
        person_key,
        assessment_year as outcome_year,
        cast(assessment_year as varchar) as period_label,
        max(assessment_date) as period_end,
        max(case when result_category in ('fokuseret', 'saerlig') then 100.0 else 0.0 end) as value
    from {{ ref('int_language__assessments') }}
    where result_category is not null
        and {{ is_known_as_of('assessment_date') }}
    group by person_key, assessment_year
)

{{ cohort_outcome('language', 'panel',
    "case when {v} > 0 then 'fokuseret/særlig' else 'generel' end") }}
