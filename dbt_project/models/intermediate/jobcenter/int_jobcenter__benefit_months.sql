-- Jobcenter benefit months with the calendar and October-September periods they fall in, the
-- one place the indicator models read benefits from.
select
    person_key,
    benefit_month,
    year(benefit_month) as year,
    month(benefit_month) as month,
    {{ oct_sep_window_end_year('year(benefit_month)', 'month(benefit_month)') }} as window_end_year,
    benefit_type,
    match_group,
    fulltime_fraction
from {{ ref('stg_kommune__jobcenter_ydelser') }}
