-- Backtest: every figure the seed documents publish next to the value the warehouse computes,
-- rounded as the document rounds it. A figure the document itself contradicts is reported as
-- inconsistent_in_seed with the reason, never forced.
with indicator_measures as (
    select indicator_id, geography_code, period, measure, value
    from (
        select indicator_id, geography_code, period,
               value, cast(n as double) as n, numerator, denominator
        from {{ ref('mart_area_indicator') }}
    ) unpivot (value for measure in (value, n, numerator, denominator))
),

language_parts as (
    -- the language delmål is published as a three-way split
    select 'HP2025_SPROGVURDERING' as indicator_id, geography_code, cast(assessment_year as varchar) as period,
           measure, value
    from (
        select geography_code, assessment_year,
               cast(n_assessed as double) as n_assessed, pct_generel, pct_fokuseret, pct_saerlig
        from {{ ref('mart_language_assessment') }}
    ) unpivot (value for measure in (n_assessed, pct_generel, pct_fokuseret, pct_saerlig))
),

computed as (
    select * from indicator_measures
    union all
    select * from language_parts
),

published as (
    select * from {{ ref('int_catalogue__published_values') }}
)

select
    p.plan_code,
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
        when p.measure = 'value_approx' and abs(c.value - p.published_value) <= greatest(1.0, 0.05 * abs(p.published_value))
            then 'reproduced'
        when p.measure = 'value_lower_bound' and c.value > p.published_value then 'reproduced'
        when p.measure in ('value_approx', 'value_lower_bound') then 'differs'
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
    -- "ca. 6.600" and "mere end 20 %" are compared with the value, loosely (see fidelity_status)
    and c.measure = case when p.measure in ('value_approx', 'value_lower_bound') then 'value' else p.measure end
