-- Every indicator value from every kind of source, yearly periods plus the multi-year
-- averages the plans use, one row per indicator x geography x period.
with yearly as (
    select indicator_id, geography_code, period, period_start, period_end, numerator, denominator, n,
           weighted_sum_of_squares, value, source_kind,
           null as source_marker, null as departments_included, false as is_summed_from_areas, 0 as areas_missing
    from {{ ref('int_indicator__computed_values') }}
    union all by name
    select indicator_id, geography_code, period, period_start, period_end, numerator, denominator, n,
           null as weighted_sum_of_squares, value, source_kind,
           source_marker, departments_included, is_summed_from_areas, areas_missing
    from {{ ref('int_indicator__published_values') }}
    union all by name
    select indicator_id, geography_code, period, period_start, period_end, numerator, denominator, n,
           null as weighted_sum_of_squares, value, source_kind,
           null as source_marker, null as departments_included, false as is_summed_from_areas, areas_missing
    from {{ ref('int_indicator__area_values') }}
),

-- Multi-year spans: those the documents print, and rolling spans of the baseline's length.
spans as (
    select distinct indicator_id, period as span
    from {{ ref('int_catalogue__published_values') }}
    where regexp_full_match(period, '\d{4}-\d{4}')
    union
    select c.indicator_id, (y.year - ({{ span_length('c.baseline_period') }} - 1)) || '-' || y.year
    from {{ ref('int_catalogue__indicators') }} as c
    join (select distinct indicator_id, year(period_start) as year from yearly
          where regexp_full_match(period, '\d{4}')) as y using (indicator_id)
    where regexp_full_match(c.baseline_period, '\d{4}-\d{4}')
),

multi_year as (
    -- the average of the yearly values, each year weighing the same ("gennemsnitstal")
    select
        s.indicator_id,
        y.geography_code,
        s.span as period,
        min(y.period_start) as period_start,
        max(y.period_end) as period_end,
        sum(y.numerator) as numerator,
        sum(y.denominator) as denominator,
        sum(y.n) as n,
        null as weighted_sum_of_squares,
        avg(y.value) as value,
        any_value(y.source_kind) as source_kind,
        max(y.source_marker) as source_marker,
        null as departments_included,
        bool_or(y.is_summed_from_areas) as is_summed_from_areas,
        max(y.areas_missing) as areas_missing,
        count(y.value) as years_with_value,
        {{ span_length('s.span') }} as years_in_span
    from spans as s
    join yearly as y
        on y.indicator_id = s.indicator_id
        and regexp_full_match(y.period, '\d{4}')
        and cast(y.period as integer) between cast(left(s.span, 4) as integer) and cast(right(s.span, 4) as integer)
    group by all
)

select *, 1 as years_with_value, 1 as years_in_span from yearly
union all by name
select * from multi_year
