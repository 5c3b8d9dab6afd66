-- Lejerbo's move-ins and move-outs. Period: Events in the calendar year.
-- Staging: renamed and typed from raw.lejerbo_flytninger, one row per delivered row.
with source as (

    select * from {{ source('boligorganisationer', 'lejerbo_flytninger') }}

),

renamed as (

    select
        cast(Afdelingsnr as integer)                         as department_number,
        Lejemaalsnr                                          as lease_number,
        Haendelse                                            as move_event,
        {{ parse_date('Dato', '%d-%m-%Y') }}                 as move_date,
        Flyttetype                                           as move_type,
        {{ parse_date('Lejeforhold_start', '%d-%m-%Y') }}    as tenancy_start_date,

        {{ delivery_lineage() }}
    from source

)

select * from renamed
