-- Small-area figures for each plan area, Randers Kommune and the whole country, one row per
-- geography, one column per measure (counts, so that shares can be recomputed). Period:
-- Population on 1 January of the year; education status 1 October the year before; income,
-- charges and convictions for the calendar year before.
-- Staging: raw.dst_boligomraader unpivoted to one row per geography_name x measure
-- (the delivered column name), with the number and, where the cell holds a marker, its meaning.
{%- set markers = published_markers('dst') %}
{%- set measures = [
    'BEFOLKNING',
    'BEF_0_17',
    'BEF_IKKEVESTLIG',
    'BOERN_ENLIG_FORSOERGER',
    'BEF_15_64',
    'BEF_15_64_KUN_GRUNDSKOLE',
    'BEF_18_29',
    'BEF_18_29_UNGDOMSUDD',
    'BEF_30_59',
    'BEF_30_59_KUN_GRUNDSKOLE',
    'BEF_18_64',
    'BEF_18_64_UDEN_TILKNYTNING',
    'BEF_15_29',
    'BEF_15_29_SIGTEDE',
    'BEF_15_PLUS',
    'DOEMTE',
    'GNS_HUSSTANDSINDKOMST',
    'GNS_BRUTTOINDKOMST_15_64',
] %}

with source as (

    select * from {{ source('publicerede', 'dst_boligomraader') }}

),

unpivoted as (

    -- include nulls: an empty cell is kept as a row (LBF's marker for 'not available').
    select *
    from source
    unpivot include nulls (cell for measure in ({{ measures | join(', ') }}))

),

renamed as (

    select
        OMRAADE                                             as geography_name,
        measure                                             as measure,
        {{ published_value('cell', markers, ',', '.') }}    as value,
        {{ value_marker('cell', markers) }}                 as value_marker,
        cell                                                as value_as_delivered,

        _extract_year                                       as extract_year,
        _source_file                                        as source_file,
        _source_row                                         as source_row,
        _loaded_at                                          as loaded_at
    from unpivoted

)

select * from renamed
