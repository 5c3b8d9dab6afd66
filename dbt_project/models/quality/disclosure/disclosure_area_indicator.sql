{{ config(schema='quality') }}
-- Which computed or republished cells of mart_area_indicator may be published
-- (docs/disclosure-control.md): decided with every other published table in
-- quality.disclosure_decisions. Internal: the reasons tell primary from secondary.
select
    m.indicator_id,
    m.geography_code,
    m.period,
    d.is_primary,
    d.is_secondary,
    d.is_suppressed,
    d.suppression_reason_da
from {{ ref('mart_area_indicator') }} as m
join {{ ref('disclosure_decisions') }} as d
    on d.table_name = 'area' and d.cell_id = m.indicator_id || ' | ' || m.geography_code || ' | ' || m.period
