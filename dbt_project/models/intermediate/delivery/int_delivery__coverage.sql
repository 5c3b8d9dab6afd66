-- Which years of each source were delivered, and which were expected but never came: one row
-- per source and year of its expected range. Built from raw._deliveries (one row per loaded
-- file, written by ingestion/loader.py), never from the rows the files hold: a delivered year
-- without a case in an area is a true 0 there, an undelivered year is unknown and never 0.
--
-- The expected range of a yearly source runs from its first delivered year to the last year its
-- folder delivers (a municipal or housing source left out of the newest delivery is a gap too),
-- but only through the years whose file period had begun by the data vintage (a school year not
-- yet started is not missing); a published table's range ends at its own last year. A source
-- never delivered expects its folder's whole range (every folder's, when the folder delivered
-- nothing). Elections, survey rounds and national reference tables come when they are held:
-- they have no gaps.
{%- set deliveries = adapter.get_relation(database=this.database, schema='raw', identifier='_deliveries') %}

{#- What the year in a file's name covers (ingestion/contract.py, Source.period): source, folder,
    file period. A period of an indicator reads every file year whose period it overlaps. -#}
{%- set source_files = [
    ('cpr_befolkning', 'kommune', 'stock_1jan'),
    ('skolefravaer', 'kommune', 'school_year'),
    ('sprogvurdering', 'kommune', 'calendar_year'),
    ('dagtilbud', 'kommune', 'calendar_year'),
    ('afgangsproever', 'kommune', 'school_year'),
    ('jobcenter_ydelser', 'kommune', 'calendar_year'),
    ('uu_vejledning', 'kommune', 'status_1oct'),
    ('ungdomsskole', 'kommune', 'school_year'),
    ('anbringelser', 'kommune', 'calendar_year'),
    ('indsatsdeltagelse', 'kommune', 'calendar_year'),
    ('randersbolig_lejemaal', 'boligorganisationer', 'stock_1jan'),
    ('randersbolig_flytninger', 'boligorganisationer', 'calendar_year'),
    ('randersbolig_udsaettelser', 'boligorganisationer', 'calendar_year'),
    ('randersbolig_klager', 'boligorganisationer', 'calendar_year'),
    ('lejerbo_lejemaal', 'boligorganisationer', 'stock_1jan'),
    ('lejerbo_flytninger', 'boligorganisationer', 'calendar_year'),
    ('lejerbo_klager', 'boligorganisationer', 'calendar_year'),
    ('dst_boligomraader', 'publicerede', 'calendar_year'),
    ('lbf_boligsociale_data', 'publicerede', 'calendar_year'),
    ('dst_valgdeltagelse', 'publicerede', 'occasional'),
    ('lbf_tryghedsmaaling', 'publicerede', 'occasional'),
    ('nationale_referencer', 'publicerede', 'occasional'),
] %}

with source_files as (
    select * from (values
        {%- for name, folder, file_period in source_files %}
        ('{{ name }}', '{{ folder }}', '{{ file_period }}'){% if not loop.last %},{% endif %}
        {%- endfor %}
    ) as t(source, folder, file_period)
),

delivered as (
    {%- if deliveries is not none %}
    select source, extract_year as year, sum(rows) as rows
    from {{ deliveries }}
    group by all
    {%- else %}
    -- a warehouse without the loader's record (raw tables written by hand): the years present
    select null::varchar as source, null::integer as year, null::bigint as rows where false
    {%- for name, folder, file_period in source_files %}
    {%- set raw_table = adapter.get_relation(database=this.database, schema='raw', identifier=name) if execute else none %}
    {%- if raw_table is not none %}
    union all
    select '{{ name }}', _extract_year, count(*) from {{ raw_table }} group by all
    {%- endif %}
    {%- endfor %}
    {%- endif %}
),

vintage as (
    select data_vintage from {{ ref('int_delivery__vintage') }}
),

folder_range as (
    select f.folder, min(d.year) as first_year, max(d.year) as last_year
    from delivered as d
    join source_files as f using (source)
    where f.file_period <> 'occasional'
    group by f.folder
),

overall_range as (
    -- for a folder that delivered nothing at all
    select min(first_year) as first_year, max(last_year) as last_year from folder_range
),

source_range as (
    select
        f.source,
        f.folder,
        f.file_period,
        coalesce(min(d.year), any_value(r.first_year), any_value(o.first_year)) as first_year,
        -- published tables come with their own lag: a year after a source's last is stale
        -- (flag_stale), not undelivered
        case when f.folder = 'publicerede' and count(d.year) > 0 then max(d.year)
             else greatest(max(d.year), coalesce(any_value(r.last_year), any_value(o.last_year))) end as last_year,
        count(d.year) = 0 as is_never_delivered
    from source_files as f
    left join delivered as d using (source)
    left join folder_range as r using (folder)
    cross join overall_range as o
    where f.file_period <> 'occasional'
    group by f.source, f.folder, f.file_period
),

years as (
    select s.*, unnest(range(s.first_year, s.last_year + 1)) as year
    from source_range as s
    where s.first_year is not null
),

dated as (
    select
        y.*,
        case y.file_period
            when 'stock_1jan' then make_date(y.year, 1, 1)
            when 'calendar_year' then make_date(y.year, 1, 1)
            when 'school_year' then make_date(y.year, 8, 1)
            when 'status_1oct' then make_date(y.year, 10, 1)
        end as file_period_start,
        case y.file_period
            when 'stock_1jan' then make_date(y.year, 1, 1)
            when 'calendar_year' then make_date(y.year, 12, 31)
            when 'school_year' then make_date(y.year + 1, 7, 31)
            when 'status_1oct' then make_date(y.year, 10, 1)
        end as file_period_end
    from years as y
)

select
    d.source,
    d.folder,
    d.file_period,
    d.year,
    d.file_period_start,
    d.file_period_end,
    dl.year is not null as is_delivered,
    dl.rows as rows_delivered,
    d.is_never_delivered,
    case when dl.year is null then 'ingen levering for ' || d.year || ' (' || d.source || ')' end as gap_da
from dated as d
left join delivered as dl using (source, year)
-- beyond the source's own last delivery only the years that had begun by the data vintage
where dl.year is not null
   or d.year <= coalesce((select max(year) from delivered as o where o.source = d.source), -1)
   or d.file_period_start <= (select data_vintage from vintage)
