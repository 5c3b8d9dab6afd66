-- Language assessments (Sprogvurdering 3-6) with the year they count in. A child is placed
-- in the geographies it lived in on 1 January of the assessment year.
select
    person_key,
    assessment_date,
    year(assessment_date) as assessment_year,
    age_years,
    assessment_reason as reason,
    -- Plan 2025-29 reports only children assessed because of a presumed need for language
    -- stimulation (footnote to the delmål table), not routine assessments.
    assessment_reason = 'Formodet behov' as is_presumed_need,
    case assessment_result
        when 'Generel indsats' then 'generel'
        when 'Fokuseret indsats' then 'fokuseret'
        when 'Særlig indsats' then 'saerlig'
    end as result_category
from {{ ref('stg_kommune__sprogvurdering') }}
