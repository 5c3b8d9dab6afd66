-- Leases by company, department and address. Period: Stock on 1 January of the year.
-- Staging: renamed and typed from raw.randersbolig_lejemaal, one row per delivered row.
with source as (

    select * from {{ source('boligorganisationer', 'randersbolig_lejemaal') }}

),

renamed as (

    select
        SELSKAB_NR                         as org_source_code,
        cast(AFDELING_NR as integer)       as department_number,
        LEJEMAAL_NR                        as lease_number,
        VEJNAVN                            as street_name,
        cast(HUSNR as integer)             as house_number,
        BOGSTAV                            as house_letter,
        ETAGE                              as floor,
        DOER                               as door,
        BOLIGTYPE                          as dwelling_type,
        cast(ANTAL_RUM as integer)         as rooms,
        {{ parse_decimal('AREAL_M2') }}    as floor_area_m2,

        make_date(_extract_year, 1, 1)     as stock_date,
        {{ delivery_lineage() }}
    from source

)

select * from renamed
