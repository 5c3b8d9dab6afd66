-- The language table as published: aggregates only, after disclosure control
-- (docs/disclosure-control.md). quality.disclosure_language_assessment decides which counts
-- are hidden, primary and secondary; a share is shown only when its count and the number
-- assessed are both shown, since share x number assessed gives the count back.
-- English snake_case for machines, with flag columns saying why a figure is empty; note_da
-- says the same in Danish, and the workbooks put Danish headers on it (exports/labels.py).
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
),

flagged as (
    select
        m.*,
        s.generel_suppressed,
        s.fokuseret_suppressed,
        s.saerlig_suppressed,
        -- a missing decision hides (fails closed, as the case expressions below do)
        coalesce(s.total_suppressed, true) as flag_disclosure_suppressed,
        -- a hidden row says nothing else: 'nobody assessed' or 'partly hidden' would tell a
        -- reader something about its hidden number assessed
        not coalesce(s.total_suppressed, true) and coalesce(s.any_category_suppressed, true) as flag_partly_suppressed,
        not coalesce(s.total_suppressed, true) and coalesce(m.n_assessed = 0, false) as flag_none_assessed
    from mart as m
    join suppressed as s using (geography_code, assessment_year)
)

select
    geography_code,
    geography_name,
    cast(assessment_year as integer) as assessment_year,
    -- 0 assessed is said by flag_none_assessed, so the count column holds no number under the threshold
    case when not flag_disclosure_suppressed and n_assessed > 0 then cast(n_assessed as integer) end as n_assessed,
    case when not (generel_suppressed or flag_disclosure_suppressed) then round(pct_generel, 1) end as pct_generel,
    case when not (fokuseret_suppressed or flag_disclosure_suppressed) then round(pct_fokuseret, 1) end as pct_fokuseret,
    case when not (saerlig_suppressed or flag_disclosure_suppressed) then round(pct_saerlig, 1) end as pct_saerlig,
    flag_disclosure_suppressed,
    flag_partly_suppressed,
    flag_none_assessed,
    case
        when flag_none_assessed then 'Ingen vurderede'
        -- one wording for every hidden figure: saying 'fewer than 3 children' would tell a reader
        -- which hidden figures are primary (1-2 persons) and which are secondary
        when flag_disclosure_suppressed then 'Skjult af diskretionshensyn'
        when flag_partly_suppressed then 'Delvist skjult af diskretionshensyn'
    end as note_da
from flagged
order by assessment_year, sort_order
