-- Survey results; only Gl. Jennumparken, Glarbjergvej-området and Hermann Stillingsvej-området
-- are covered in Randers, plus LBF's reference groups. Period: The survey round held in the
-- year.
-- Staging: raw.lbf_tryghedsmaaling unpivoted to one row per geography_name x measure
-- (the delivered column name), with the number and, where the cell holds a marker, its meaning.
{%- set markers = published_markers('lbf') %}
{%- set measures = [
    'ANTAL_INTERVIEWS',
    'ANDEL_TRYGGE',
    'ANDEL_FRIVILLIGE',
] %}

with source as (

    select * from {{ source('publicerede', 'lbf_tryghedsmaaling') }}

),

unpivoted as (

    -- include nulls: an empty cell is kept as a row (LBF's marker for 'not available').
    select *
    from source
    unpivot include nulls (cell for measure in ({{ measures | join(', ') }}))

),

renamed as (

    select
        OMRAADE                                        as geography_name,
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
