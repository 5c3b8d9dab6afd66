-- Per catalogue indicator and geography it reports on (its plan's areas, all of them together,
-- the municipality): the periods with a value, and where there is none, why. A reason is the
-- publisher's marker (suppressed or not available), an undelivered source year, an area missing
-- from a total, nobody in the indicator's population, or a gap stated in seeds/indicator_value_gaps.csv (an indicator counted by
-- institution, a survey that covers some areas). A row with no value and no reason fails the
-- test in _catalogue.yml: a registry row that gets no values is never silent.
with catalogue as (
    select indicator_id, plan_code, source_kind from {{ ref('int_catalogue__indicators') }}
),

reported_geographies as (
    select c.indicator_id, pa.area_code as geography_code
    from catalogue as c
    join {{ ref('plan_areas') }} as pa using (plan_code)
    union
    select c.indicator_id, g.geography_code
    from catalogue as c
    join {{ ref('geographies') }} as g
        on (g.geography_type = 'plan_total' and g.plan_code = c.plan_code) or g.geography_type = 'municipality'
),

rows_ as (
    select
        indicator_id, geography_code,
        count(*) as n_periods,
        count(value) as n_periods_with_value,
        -- the first reason a row without a value carries
        min(case
            when value is not null then null
            when delivery_gap_da is not null then delivery_gap_da
            when source_marker is not null then 'kilden offentliggør ingen værdi (' || source_marker || ')'
            when areas_missing_da is not null then areas_missing_da
            -- an area with nobody in the indicator's population (a real delivery can have one):
            -- a share has no value there, which is a fact, not a registry error
            when source_kind = 'computed' and coalesce(denominator, 0) = 0
                then 'ingen personer i indikatorens population'
        end) as derived_reason_da
    from {{ ref('int_indicator__rows') }}
    group by all
),

stated as (
    select indicator_id, geography_code, reason_da from {{ ref('indicator_value_gaps') }}
)

select
    r.indicator_id,
    r.geography_code,
    c.source_kind,
    coalesce(v.n_periods, 0) as n_periods,
    coalesce(v.n_periods_with_value, 0) as n_periods_with_value,
    case when coalesce(v.n_periods_with_value, 0) = 0
         then coalesce(s.reason_da, a.reason_da, v.derived_reason_da) end as no_values_reason_da
from reported_geographies as r
join catalogue as c using (indicator_id)
left join rows_ as v using (indicator_id, geography_code)
left join stated as s on s.indicator_id = r.indicator_id and s.geography_code = r.geography_code
left join stated as a on a.indicator_id = r.indicator_id and a.geography_code is null
