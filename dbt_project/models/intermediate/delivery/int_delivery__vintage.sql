-- The data vintage of the loaded extracts, computed once (see macros/data_vintage.sql): the last
-- day of the month of the latest event that has happened, in the sources every delivery holds.
-- Only dates of events are read (benefit months, assessments, moves, eviction decisions,
-- complaints, participation starts), never a spell's end: a row may carry a planned end in the
-- future. Daycare enrolment dates are left out for the same reason (places are assigned ahead).
-- An event dated after the end of its file's year is not one the file can report (a typo or a
-- planned date) and is left out, so the vintage never runs beyond what the delivered years cover.
with events as (
    select benefit_month as event_date, extract_year from {{ ref('stg_kommune__jobcenter_ydelser') }}
    union all select assessment_date, extract_year from {{ ref('stg_kommune__sprogvurdering') }}
    union all select move_date, extract_year from {{ ref('stg_randersbolig__flytninger') }}
    union all select move_date, extract_year from {{ ref('stg_lejerbo__flytninger') }}
    union all select decision_date, extract_year from {{ ref('stg_randersbolig__udsaettelser') }}
    union all select complaint_date, extract_year from {{ ref('stg_randersbolig__klager') }}
    union all select complaint_date, extract_year from {{ ref('stg_lejerbo__klager') }}
    union all select start_date, last_delivered_year from {{ ref('int_spells__participation') }}
)

select last_day(max(event_date)) as data_vintage
from events
where event_date <= make_date(extract_year, 12, 31)
