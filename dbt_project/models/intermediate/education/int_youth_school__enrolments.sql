-- Enrolments in Randers Ungdomsskole's leisure offers once per person and school year (the
-- extract has a row per offer and no end dates), the one reading of the extract that both uses
-- of it build on. They are two indicators, not two definitions of one:
--   int_indicator__youth_school (HP2025_KRIM_UNGDOMSSKOLE_13_18, the plan's delmål): a stock on
--       1 September, so enrolled by then (is_enrolled_by_1sep), of the 13-18-year-olds living in
--       the area (placed children excluded);
--   int_cohort_outcome__youth_school (outcome youth_school of the activities' cohorts): enrolled
--       at any time in the school year, as the 2025-29 activities start in August-December and
--       an enrolment they lead to comes after 1 September; 13-17 on 1 January, as the cohorts'
--       age bands are.
select
    person_key,
    school_year_start,
    min(enrolment_date) as first_enrolment_date,
    coalesce(min(enrolment_date) <= make_date(school_year_start, 9, 1), false) as is_enrolled_by_1sep
from {{ ref('stg_kommune__ungdomsskole') }}
group by person_key, school_year_start
