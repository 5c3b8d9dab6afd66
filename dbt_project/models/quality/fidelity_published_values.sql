-- Backtest: every figure the seed documents publish (seed published_values) next to the
-- value the marts compute, rounded as the document rounds it. A figure the document itself
-- contradicts is reported as inconsistent_in_seed with the reason, never forced.
with computed as (
    select
        'HP2025_SPROGVURDERING' as indicator_id,
        geography_code,
        cast(assessment_year as varchar) as period,
        measure,
        value
    from (
        select geography_code, assessment_year,
               cast(n_assessed as double) as n_assessed, pct_generel, pct_fokuseret, pct_saerlig
        from {{ ref('mart_language_assessment') }}
    ) unpivot (value for measure in (n_assessed, pct_generel, pct_fokuseret, pct_saerlig))
),

published as (
    select * from {{ ref('published_values') }}
)

select
    p.indicator_id,
    p.geography_code,
    p.period,
    p.measure,
    p.published_value,
    c.value as computed_value,
    round(c.value, p.decimals) as computed_rounded,
    case
        when not p.seed_consistent then 'inconsistent_in_seed'
        when c.value is null then 'not_computed'
        when round(c.value, p.decimals) = p.published_value then 'reproduced'
        else 'differs'
    end as fidelity_status,
    p.note,
    p.source_document,
    p.source_line
from published as p
left join computed as c
    on c.indicator_id = p.indicator_id
    and c.geography_code = p.geography_code
    and c.period = p.period
    and c.measure = p.measure
