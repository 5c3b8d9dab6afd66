-- Language: needing focused or special language support (Sprogvurdering 3-6) at the latest
-- assessment before and the first after the start year. A year with two assessments counts the
-- one the indicator counts (int_language__assessments: the latest for a presumed need, else the
-- latest). A year still running counts the assessments made so far, so the panel has the year's
-- value as known after each assessment day (period_end), and each state of the cohort's
-- after-period (macros/cohort_outcome.sql) takes the value as known by its cut date.
with assessed as (
    select *
    from {{ ref('int_language__assessments') }}
    where result_category is not null
),

as_known as (
    select
        person_key,
        assessment_year,
        assessment_date,
        arg_max(case when result_category in ('fokuseret', 'saerlig') then 100.0 else 0.0 end,
                (is_presumed_need, assessment_date, extract_year, source_row)) over (
            partition by person_key, assessment_year order by assessment_date
            range between unbounded preceding and current row) as value
    from assessed
),

panel as (
    select distinct
        person_key,
        assessment_year as outcome_year,
        cast(assessment_year as varchar) as period_label,
        assessment_date as period_end,
        value
    from as_known
)

{{ cohort_outcome('language', 'panel',
    "case when {v} > 0 then 'fokuseret/særlig' else 'generel' end") }}
