-- The language table as published: aggregates only, after disclosure control
-- (docs/disclosure-control.md). quality.disclosure_language_assessment decides which counts
-- are hidden, primary and secondary; a share is shown only when its count and the number
-- assessed are both shown, since share x number assessed gives the count back.
with mart as (
    select * from {{ ref('mart_language_assessment') }}
),

suppressed as (
    select
        geography_code,
        assessment_year,
        bool_or(is_suppressed) filter (where category = 'total') as total_suppressed,
        bool_or(is_suppressed) filter (where category = 'generel') as generel_suppressed,
        bool_or(is_suppressed) filter (where category = 'fokuseret') as fokuseret_suppressed,
        bool_or(is_suppressed) filter (where category = 'saerlig') as saerlig_suppressed,
        bool_or(is_suppressed and category <> 'total') as any_category_suppressed
    from {{ ref('disclosure_language_assessment') }}
    group by all
)

select
    m.geography_name as "Geografi",
    cast(m.assessment_year as integer) as "År",
    -- 0 assessed is said in the note, so the count column holds no number under the threshold
    case when not s.total_suppressed and m.n_assessed > 0 then cast(m.n_assessed as integer) end as "Antal vurderede",
    case when not (s.generel_suppressed or s.total_suppressed) then round(m.pct_generel, 1) end as "Generel indsats (%)",
    case when not (s.fokuseret_suppressed or s.total_suppressed) then round(m.pct_fokuseret, 1) end as "Fokuseret indsats (%)",
    case when not (s.saerlig_suppressed or s.total_suppressed) then round(m.pct_saerlig, 1) end as "Særlig indsats (%)",
    case
        -- a hidden row says nothing else: 'Ingen vurderede' would give its 0 back
        when m.n_assessed = 0 and not s.total_suppressed then 'Ingen vurderede'
        -- one wording for every hidden figure: saying 'fewer than 3 children' would tell a reader
        -- which hidden figures are primary (1-2 persons) and which are secondary
        when s.total_suppressed then 'Skjult af diskretionshensyn'
        when s.any_category_suppressed then 'Delvist skjult af diskretionshensyn'
    end as "Note",
    m.geography_code as geography_code
from mart as m
join suppressed as s using (geography_code, assessment_year)
order by m.assessment_year, m.sort_order
