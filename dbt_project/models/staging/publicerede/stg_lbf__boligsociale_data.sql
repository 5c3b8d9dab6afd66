-- LBF's fixed strategic indicators per plan area and for the municipality. Small departments
-- are left out; AFDELINGER_MEDREGNET lists the departments included. Period: The year the
-- figure refers to (see each measure's definition in the catalogue).
-- Staging: raw.lbf_boligsociale_data unpivoted to one row per geography_name x measure
-- (the delivered column name), with the number and, where the cell holds a marker, its meaning.
{%- set markers = published_markers('lbf') %}
{%- set measures = [
    'ANDEL_1_5_I_DAGTILBUD',
    'KARAKTERGNS_DANSK_MATEMATIK',
    'ANDEL_18_29_KUN_GRUNDSKOLE',
    'ANDEL_15_29_RESTGRUPPE',
    'ANDEL_18_64_UDEN_TILKNYTNING',
    'ANDEL_15_29_SIGTEDE',
    'FRAFLYTNINGSPROCENT',
] %}

with source as (

    select * from {{ source('publicerede', 'lbf_boligsociale_data') }}

),

unpivoted as (

    -- include nulls: an empty cell is kept as a row (LBF's marker for 'not available').
    select *
    from source
    unpivot include nulls (cell for measure in ({{ measures | join(', ') }}))

),

renamed as (

    select
        BOLIGOMRAADE                                   as geography_name,
        AFDELINGER_MEDREGNET                           as departments_included,
        measure                                        as measure,
        {{ published_value('cell', markers, ',') }}    as value,
        {{ value_marker('cell', markers) }}            as value_marker,
        cell                                           as value_as_delivered,

        _extract_year                                  as extract_year,
        _source_file                                   as source_file,
        _source_row                                    as source_row,
        _loaded_at                                     as loaded_at
    from unpivoted

)

select * from renamed
