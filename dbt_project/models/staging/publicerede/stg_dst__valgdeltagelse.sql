-- Turnout at the election held in the year. Period: The election held in the year (only
-- election years are delivered).
-- Staging: raw.dst_valgdeltagelse unpivoted to one row per geography_name x election x measure
-- (the delivered column name), with the number and, where the cell holds a marker, its meaning.
{%- set markers = published_markers('dst') %}
{%- set measures = [
    'STEMMEBERETTIGEDE',
    'AFGIVNE_STEMMER',
] %}

with source as (

    select * from {{ source('publicerede', 'dst_valgdeltagelse') }}

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
        VALG                                                as election,
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
