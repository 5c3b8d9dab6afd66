-- Neighbour complaints per lease. Period: Complaints received in the calendar year.
-- Staging: renamed and typed from raw.randersbolig_klager, one row per delivered row.
with source as (

    select * from {{ source('boligorganisationer', 'randersbolig_klager') }}

),

renamed as (

    select
        SELSKAB_NR                        as org_source_code,
        cast(AFDELING_NR as integer)      as department_number,
        LEJEMAAL_NR                       as lease_number,
        {{ parse_date('KLAGE_DATO') }}    as complaint_date,
        KATEGORI                          as complaint_category,

        {{ delivery_lineage() }}
    from source

)

select * from renamed
