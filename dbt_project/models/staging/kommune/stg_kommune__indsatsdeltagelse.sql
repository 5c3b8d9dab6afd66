-- Participation in the plan's activities. Period: Participation spells active at some time in
-- the calendar year.
-- Staging: renamed and typed from raw.indsatsdeltagelse, one row per delivered row.
with source as (

    select * from {{ source('kommune', 'indsatsdeltagelse') }}

),

renamed as (

    select
        PNR_PSEUDO                         as person_key,
        AKTIVITET                          as activity_code,
        {{ parse_date('START') }}          as start_date,
        {{ parse_date('SLUT') }}           as end_date,
        {{ parse_flag('GENNEMFOERT') }}    as is_completed,

        {{ delivery_lineage() }}
    from source

)

select * from renamed
