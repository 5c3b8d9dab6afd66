{{ config(schema='quality') }}
-- Which rows of the population table may be published (docs/disclosure-control.md). A cell is
-- one row (activity x cohort x outcome x period) with participants, in the state its report
-- year shows (measured_by_year): its n, values, difference and interval are shown or hidden
-- together; decided with every other published table and every other report year's state in
-- quality.disclosure_decisions (per cohort, before + change = after; per row, each state is the
-- one before plus a revision).
select
    m.plan_code,
    m.activity_code,
    m.cohort_year,
    m.outcome_kind,
    m.period_kind,
    d.is_primary,
    d.is_secondary,
    d.is_suppressed,
    d.suppression_reason_da
from {{ ref('mart_population_indicator') }} as m
join {{ ref('disclosure_decisions') }} as d
    on d.table_name = 'population'
    and d.cell_id = m.plan_code || ' | ' || m.activity_code || ' | ' || m.cohort_year || ' | '
        || m.outcome_kind || ' | ' || m.period_kind || ' | ' || m.measured_by_year
