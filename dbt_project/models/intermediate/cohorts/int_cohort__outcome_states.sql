-- Every outcome kind's results in one relation, per state of the after-period
-- (measured_by_year: as the report year of that year sees it, macros/cohort_outcome.sql). The
-- mart shows the state of its report year; disclosure control decides on all of them at once,
-- so that the publications of successive report years, read together, give no revision away.
select * from {{ ref('int_cohort_outcome__absence') }}
union all by name select * from {{ ref('int_cohort_outcome__language') }}
union all by name select * from {{ ref('int_cohort_outcome__youth_education') }}
union all by name select * from {{ ref('int_cohort_outcome__benefit') }}
union all by name select * from {{ ref('int_cohort_outcome__eviction') }}
union all by name select * from {{ ref('int_cohort_outcome__youth_school') }}
