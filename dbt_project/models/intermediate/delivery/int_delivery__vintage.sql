-- The data vintage of the loaded extracts, computed once (see macros/data_vintage.sql): the last
-- day of the month of the latest dated event in the sources every delivery holds.
select last_day(max(event_date)) as data_vintage
from (
    select max(benefit_month) as event_date from {{ ref('stg_kommune__jobcenter_ydelser') }}
    union all select max(greatest(start_date, coalesce(end_date, start_date))) from {{ ref('stg_kommune__indsatsdeltagelse') }}
    union all select max(assessment_date) from {{ ref('stg_kommune__sprogvurdering') }}
    union all select max(move_date) from {{ ref('stg_randersbolig__flytninger') }}
    union all select max(move_date) from {{ ref('stg_lejerbo__flytninger') }}
    union all select max(decision_date) from {{ ref('stg_randersbolig__udsaettelser') }}
    union all select max(complaint_date) from {{ ref('stg_randersbolig__klager') }}
    union all select max(complaint_date) from {{ ref('stg_lejerbo__klager') }}
)
