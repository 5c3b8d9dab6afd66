-- School absence (%) of the cohorts of the attendance and family activities, the school year that
-- ends in the start year (before) and the one that begins in it (after: the 2025-29 activities
-- start in August-December, during it), against matched non-participants.
with panel as (
    select
        person_key,
        school_year_start as outcome_year,
        {{ school_year_label('school_year_start') }} as period_label,
        {{ school_year_end('school_year_start') }} as period_end,
        100.0 * absence_rate as value
    from {{ ref('int_school__absence_pupil_year') }}
)

{{ cohort_outcome('absence', 'panel',
    "case when {v} < 5 then 'under 5 %' when {v} < 10 then '5-10 %' when {v} < 15 then '10-15 %' else 'over 15 %' end") }}
