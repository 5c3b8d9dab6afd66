-- Move-ins and move-outs per lease. Period: Events in the calendar year.
-- Staging: renamed and typed from raw.randersbolig_flytninger, one row per delivered row.
with source as (

    select * from {{ source('boligorganisationer', 'randersbolig_flytninger') }}

),

renamed as (

    select
        SELSKAB_NR                               as org_source_code,
        cast(AFDELING_NR as integer)             as department_number,
        LEJEMAAL_NR                              as lease_number,
        HAENDELSE                                as move_event,
        {{ parse_date('DATO') }}                 as move_date,
        FLYTTETYPE                               as move_type,
        {{ parse_date('LEJEFORHOLD_START') }}    as tenancy_start_date,

        {{ delivery_lineage() }}
    from source

)

select * from renamed
