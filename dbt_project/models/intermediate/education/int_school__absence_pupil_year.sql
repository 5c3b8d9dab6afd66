-- Absence per pupil and school year, summed over the pupil's schools (a pupil who changes
-- school mid-year has one row per school in the extract). The pupil counts in the geographies
-- of the 1 January stock in the school year's first calendar year (2023/24 -> 1.1.2023),
-- the rule the demo generator also follows.
-- The fraværsprocent is per pupil (domain notes): all days absent over all school days at the
-- pupil's schools, and that one rate is what every reader uses (the average, the shares above
-- 10 % and 15 %, the cohorts); the pupil weighs its months registered at all schools together.
select
    person_key,
    school_year,
    school_year_start,
    max(grade_level) as grade_level,
    sum(months_enrolled) as months_enrolled,
    sum(school_days) as school_days,
    sum(absence_illness_days + absence_permitted_days + absence_unlawful_days) as absence_days,
    sum(absence_illness_days + absence_permitted_days + absence_unlawful_days) / sum(school_days) as absence_rate,
    -- sorted distinct schools; a plain list sorted afterwards, as the ordered distinct aggregate
    -- took most of this model's time (school_code is tested not null, so no NULL to keep)
    list_sort(list_distinct(list(school_code))) as school_codes
from {{ ref('stg_kommune__skolefravaer') }}
group by person_key, school_year, school_year_start
