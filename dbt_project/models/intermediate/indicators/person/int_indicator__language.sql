-- Delmål "Reducere andelen af børn med behov for særlig eller fokuseret sproglig indsats inden
-- skolestart": per child assessed because of a presumed need, 1 if the result is fokuseret or
-- særlig indsats, by the one assessment that counts in the year (is_counted, see
-- int_language__assessments). The three-way split is in mart_language_assessment.
select
    'HP2025_SPROGVURDERING' as indicator_id,
    person_key,
    {{ calendar_year_columns('assessment_year') }},
    assessment_year as membership_year,
    1.0 as weight,
    case when result_category in ('fokuseret', 'saerlig') then 1.0 else 0.0 end as value
from {{ ref('int_language__assessments') }}
where is_presumed_need and is_counted
