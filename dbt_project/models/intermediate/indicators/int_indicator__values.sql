-- Every indicator value from every kind of source, yearly periods plus the multi-year
-- averages the plans use, one row per indicator x geography x period.
--
-- A period that reads a source year never delivered (intermediate.int_delivery__coverage) is
-- missing, never 0: its value, numerator, denominator and n are NULL and delivery_gap_da says
-- which delivery is absent ("ingen levering for 2020 (randersbolig_udsaettelser)"). A row is
-- added for such a period where the models produced none, so the gap shows in the marts.
with delivered_values as (
    select indicator_id, geography_code, period, period_start, period_end, numerator, denominator, n,
           weighted_sum_of_squares, value, source_kind,
           null as source_marker, null as departments_included, false as is_summed_from_areas, 0 as areas_missing,
           null as areas_missing_da
    from {{ ref('int_indicator__computed_values') }}
    union all by name
    select indicator_id, geography_code, period, period_start, period_end, numerator, denominator, n,
           null as weighted_sum_of_squares, value, source_kind,
           source_marker, departments_included, is_summed_from_areas, areas_missing, areas_missing_da
    from {{ ref('int_indicator__published_values') }}
    union all by name
    select indicator_id, geography_code, period, period_start, period_end, numerator, denominator, n,
           null as weighted_sum_of_squares, value, source_kind,
           null as source_marker, null as departments_included, false as is_summed_from_areas, areas_missing,
           null as areas_missing_da
    from {{ ref('int_indicator__area_values') }}
),

catalogue as (
    select indicator_id, source, source_kind, period_kind from {{ ref('int_catalogue__indicators') }}
),

-- the sources each indicator reads: the catalogue's source and the files read beside it
indicator_sources as (
    select indicator_id, source from catalogue where source is not null
    union
    select c.indicator_id, x.also_reads
    from catalogue as c
    join (values
        -- both organisations' moves, per 100 leases of both
        ('randersbolig_flytninger', 'lejerbo_flytninger'),
        ('randersbolig_flytninger', 'randersbolig_lejemaal'),
        ('randersbolig_flytninger', 'lejerbo_lejemaal'),
        ('randersbolig_klager', 'lejerbo_klager'),
        ('randersbolig_lejemaal', 'lejerbo_lejemaal'),
        -- persons are placed in areas by the CPR stock of their membership year
        ('skolefravaer', 'cpr_befolkning'),
        ('sprogvurdering', 'cpr_befolkning'),
        ('jobcenter_ydelser', 'cpr_befolkning'),
        ('uu_vejledning', 'cpr_befolkning'),
        ('ungdomsskole', 'cpr_befolkning'),
        ('anbringelser', 'cpr_befolkning')
    ) as x(source, also_reads) on x.source = c.source
),

gaps as (
    select s.indicator_id, g.source, g.year, g.file_period, g.file_period_start, g.file_period_end, g.gap_da
    from indicator_sources as s
    join {{ ref('int_delivery__coverage') }} as g using (source)
    where not g.is_delivered
),

-- the period(s) of an indicator that read an undelivered file year, where the kind of period
-- can be named from the year (months and elections cannot; their existing rows are nulled below)
gap_periods as (
    select distinct g.indicator_id, p.period, p.period_start, p.period_end
    from gaps as g
    join catalogue as c using (indicator_id),
    lateral (
        select cast(g.year as varchar) as period, make_date(g.year, 1, 1) as period_start,
               case when c.period_kind = 'stock_1jan' and c.source_kind = 'computed' then make_date(g.year, 1, 1)
                    else make_date(g.year, 12, 31) end as period_end
        where c.period_kind in ('calendar_year', 'stock_1jan', 'multi_year_avg')
        union all
        select {{ school_year_label('g.year') }}, {{ school_year_start('g.year') }}, {{ school_year_end('g.year') }}
        where c.period_kind = 'school_year' and g.file_period in ('school_year', 'stock_1jan')
        union all
        select cast(g.year as varchar), make_date(g.year, 10, 1), make_date(g.year, 10, 1)
        where c.period_kind = 'snapshot_1oct'
        union all
        select {{ oct_sep_window_label('e.end_year') }}, make_date(e.end_year - 1, 10, 1), make_date(e.end_year, 9, 30)
        from (select unnest([g.year, g.year + 1]) as end_year) as e
        where c.period_kind = 'window_oct_sep'
    ) as p
),

gap_rows as (
    -- every geography the indicator has (the mart adds the plan's other geographies), and the
    -- municipality for an indicator whose source never came
    select gp.indicator_id, geo.geography_code, gp.period, gp.period_start, gp.period_end,
           c.source_kind, 0 as areas_missing, false as is_summed_from_areas, true as is_gap_row
    from gap_periods as gp
    join catalogue as c using (indicator_id)
    join (
        select distinct indicator_id, geography_code from delivered_values
        union
        select indicator_id, 'RANDERS' from catalogue
    ) as geo using (indicator_id)
    where not exists (
        select 1 from delivered_values as v
        where v.indicator_id = gp.indicator_id and v.geography_code = geo.geography_code and v.period = gp.period
    )
),

with_gaps as (
    select * from delivered_values
    union all by name
    select * from gap_rows
),

gap_text as (
    -- per row, every undelivered file year its period reads (not the national reference rows
    -- of a computed indicator: those come from another source)
    select w.indicator_id, w.geography_code, w.period,
           string_agg(distinct g.gap_da, '; ' order by g.gap_da) as delivery_gap_da
    from with_gaps as w
    join catalogue as c using (indicator_id)
    join gaps as g
        on g.indicator_id = w.indicator_id
        and case
            -- a resident counts by the 1 January stock of the period's membership year: a
            -- window's end year, otherwise its start year (a school year starting in August)
            when g.source = 'cpr_befolkning'
                then g.year = year(case when w.period like '%..%' then w.period_end else w.period_start end)
            else g.file_period_start <= w.period_end and g.file_period_end >= w.period_start
        end
    where w.source_kind = c.source_kind
    group by all
),

yearly as (
    select
        w.* exclude (is_gap_row) replace (
            case when t.delivery_gap_da is null then w.numerator end as numerator,
            case when t.delivery_gap_da is null then w.denominator end as denominator,
            case when t.delivery_gap_da is null then w.n end as n,
            case when t.delivery_gap_da is null then w.weighted_sum_of_squares end as weighted_sum_of_squares,
            case when t.delivery_gap_da is null then w.value end as value,
            -- a missing value covers nothing: not partial as well
            case when t.delivery_gap_da is null then w.areas_missing else 0 end as areas_missing,
            case when t.delivery_gap_da is null then w.areas_missing_da end as areas_missing_da
        ),
        t.delivery_gap_da
    from with_gaps as w
    left join gap_text as t using (indicator_id, geography_code, period)
    -- a candidate period that reads no undelivered year after all is not a gap
    where not (coalesce(w.is_gap_row, false) and t.delivery_gap_da is null)
),

-- Multi-year spans: those the documents print, and rolling spans of the baseline's length.
spans as (
    select distinct indicator_id, period as span
    from {{ ref('int_catalogue__published_values') }}
    where regexp_full_match(period, '\d{4}-\d{4}')
    union
    select c.indicator_id, (y.year - ({{ span_length('c.baseline_period') }} - 1)) || '-' || y.year
    from {{ ref('int_catalogue__indicators') }} as c
    join (select distinct indicator_id, year(period_start) as year from yearly
          where regexp_full_match(period, '\d{4}')) as y using (indicator_id)
    where regexp_full_match(c.baseline_period, '\d{4}-\d{4}')
),

multi_year as (
    -- the average of the yearly values, each year weighing the same ("gennemsnitstal")
    select
        s.indicator_id,
        y.geography_code,
        s.span as period,
        min(y.period_start) as period_start,
        max(y.period_end) as period_end,
        sum(y.numerator) as numerator,
        sum(y.denominator) as denominator,
        sum(y.n) as n,
        null as weighted_sum_of_squares,
        avg(y.value) as value,
        any_value(y.source_kind) as source_kind,
        max(y.source_marker) as source_marker,
        null as departments_included,
        bool_or(y.is_summed_from_areas) as is_summed_from_areas,
        max(y.areas_missing) as areas_missing,
        string_agg(distinct y.areas_missing_da, '; ' order by y.areas_missing_da) as areas_missing_da,
        string_agg(distinct y.delivery_gap_da, '; ' order by y.delivery_gap_da) as delivery_gap_da,
        count(y.value) as years_with_value,
        {{ span_length('s.span') }} as years_in_span
    from spans as s
    join yearly as y
        on y.indicator_id = s.indicator_id
        and regexp_full_match(y.period, '\d{4}')
        and cast(y.period as integer) between cast(left(s.span, 4) as integer) and cast(right(s.span, 4) as integer)
    group by all
)

select *, 1 as years_with_value, 1 as years_in_span from yearly
union all by name
select * from multi_year
