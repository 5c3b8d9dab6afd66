-- Language: needing focused or special language support (Sprogvurdering 3-6) at the latest
-- assessment before and the first after the start year. A year with two assessments counts the
-- one the indicator counts (int_language__assessments: the latest for a presumed need, else the
-- latest), among those made by the as-of date (a year still running counts with those made so
-- far, so the choice is made here, after that cut).
with known as (
    select *
    from {{ ref('int_language__assessments') }}
    where result_category is not null
        and {{ is_known_as_of('assessment_date') }}
),

panel as (
    select
        person_key,
        assessment_year as outcome_year,
        cast(assessment_year as varchar) as period_label,
        max(assessment_date) as period_end,
        arg_max(case when result_category in ('fokuseret', 'saerlig') then 100.0 else 0.0 end,
                (is_presumed_need, assessment_date, extract_year, source_row)) as value
    from known
    group by person_key, assessment_year
)

{{ cohort_outcome('language', 'panel',
    "case when {v} > 0 then 'fokuseret/særlig' else 'generel' end") }}
