-- Public benefits: months with a jobcenter benefit in the October-September window before and
-- after the start year, in % of 12 months, for residents aged 18-64 (months without benefit
-- count as 0, so the panel is every resident, not only recipients).
with months as (
    select person_key, window_end_year, count(distinct benefit_month) as months_on_benefit
    from {{ ref('int_jobcenter__benefit_months') }}
    group by person_key, window_end_year
),

panel as (
    select
        r.person_key,
        r.year as outcome_year,
        {{ oct_sep_window_label('r.year') }} as period_label,
        make_date(r.year, 9, 30) as period_end,
        100.0 * least(coalesce(m.months_on_benefit, 0), 12) / 12 as value
    from {{ ref('int_person__residence_year') }} as r
    left join months as m on m.person_key = r.person_key and m.window_end_year = r.year
    where r.age_years between 18 and 64
)

{{ cohort_outcome('benefit', 'panel',
    "case when {v} = 0 then 'ingen ydelse' when {v} < 50 then 'under halvdelen af året' else 'halvdelen af året eller mere' end") }}
