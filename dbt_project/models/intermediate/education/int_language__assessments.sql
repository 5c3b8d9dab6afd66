-- Language assessments (Sprogvurdering 3-6) with the year they count in. A child is placed
-- in the geographies it lived in on 1 January of the assessment year.
-- The contract's key is person + date, so a child can be assessed twice in a year. One
-- assessment per child and calendar year counts (is_counted): the latest made for a presumed
-- need, else the latest of the year. A reassessment follows up the earlier result, so the latest
-- is the child's need as the year ends; the plan's population is the children assessed for a
-- presumed need, so such an assessment is preferred and no such child drops out because a later
-- routine assessment followed. A row re-delivered in a later file counts once (latest file).
-- The other rows stay here and are counted per year and file in the data-quality report.
with assessments as (
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
        end as result_category,
        source_file,
        source_row,
        extract_year
    from {{ ref('stg_kommune__sprogvurdering') }}
)

select
    *,
    row_number() over (
        partition by person_key, assessment_year
        order by is_presumed_need desc, assessment_date desc, extract_year desc, source_row desc
    ) = 1 as is_counted
from assessments
