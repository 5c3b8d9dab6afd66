-- Person-level indicators aggregated to every geography the persons count towards, in the
-- indicator's unit. The only place person-level rows become aggregates.
with person_values as (
    select * from {{ ref('int_indicator__person_values') }}
),

membership as (
    select * from {{ ref('int_person__geography_year') }}
),

catalogue as (
    select indicator_id, unit_factor, unit from {{ ref('int_catalogue__indicators') }}
),

aggregated as (
    select
        v.indicator_id,
        m.geography_code,
        v.period,
        min(v.period_start) as period_start,
        max(v.period_end) as period_end,
        count(distinct v.person_key) as n,
        sum(v.weight * v.value) as numerator,
        sum(v.weight) as denominator,
        sum(v.weight * v.value * v.value) as weighted_sum_of_squares
    from person_values as v
    join membership as m
        on m.person_key = v.person_key
        and m.year = v.membership_year
    group by all
)

select
    a.*,
    {{ indicator_value('a.numerator', 'a.denominator', 'c.unit', 'c.unit_factor') }} as value,
    'computed' as source_kind
from aggregated as a
join catalogue as c using (indicator_id)
