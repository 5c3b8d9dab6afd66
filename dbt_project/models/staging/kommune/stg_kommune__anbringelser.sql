-- Placements of children and young people outside the home. Period: Placement spells active at
-- some time in the calendar year.
-- Staging: renamed and typed from raw.anbringelser, one row per delivered row.
with source as (

    select * from {{ source('kommune', 'anbringelser') }}

),

renamed as (

    select
        PNR_PSEUDO                   as person_key,
        {{ parse_date('START') }}    as start_date,
        {{ parse_date('SLUT') }}     as end_date,
        ANBRINGELSESSTED             as placement_type,

        {{ delivery_lineage() }}
    from source

)

select * from renamed
