{{ config(schema='quality') }}
-- Which counts of the language table may be published (docs/disclosure-control.md): each
-- geography and year has four cells (antal vurderede, generel, fokuseret, særlig), decided with
-- every other published table in quality.disclosure_decisions.
with long as (
    select geography_code, assessment_year, category
    from {{ ref('mart_language_assessment') }}
    cross join (values ('generel'), ('fokuseret'), ('saerlig'), ('total')) as c(category)
)

select
    l.geography_code,
    l.assessment_year,
    l.category,
    d.is_primary,
    d.is_secondary,
    d.is_suppressed,
    d.suppression_reason_da
from long as l
join {{ ref('disclosure_decisions') }} as d
    on d.table_name = 'language'
    and d.cell_id = l.geography_code || ' | ' || l.assessment_year || ' | ' || l.category
