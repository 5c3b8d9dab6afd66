-- Eviction cases and whether they were carried out. Period: Cases decided in the calendar
-- year.
-- Staging: renamed and typed from raw.randersbolig_udsaettelser, one row per delivered row.
with source as (

    select * from {{ source('boligorganisationer', 'randersbolig_udsaettelser') }}

),

renamed as (

    select
        SELSKAB_NR                        as org_source_code,
        cast(AFDELING_NR as integer)      as department_number,
        LEJEMAAL_NR                       as lease_number,
        {{ parse_date('SAG_DATO') }}      as decision_date,
        AARSAG                            as eviction_reason,
        {{ parse_flag('FULDBYRDET') }}    as is_carried_out,

        {{ delivery_lineage() }}
    from source

)

select * from renamed
