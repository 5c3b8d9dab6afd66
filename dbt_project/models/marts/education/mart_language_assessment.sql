-- Delmål "Bedre sprogkompetencer ved overgang til skole" (plan 2025-29): children assessed
-- because of a presumed need, and the share needing generel / fokuseret / særlig indsats,
-- per geography and calendar year (int_language__assessment_counts), for the calendar years that
-- had ended by the report year's as-of date (macros/as_of.sql).
select *
from {{ ref('int_language__assessment_counts') }}
where {{ is_known_as_of(calendar_year_end('assessment_year')) }}
order by assessment_year, sort_order
