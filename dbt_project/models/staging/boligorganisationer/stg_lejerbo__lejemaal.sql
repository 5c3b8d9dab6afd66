-- Lejerbo's leases in Randers. House number and letter come as one field ("12B"). Period:
-- Stock on 1 January of the year.
-- Staging: renamed and typed from raw.lejerbo_lejemaal, one row per delivered row.
with source as (

    select * from {{ source('boligorganisationer', 'lejerbo_lejemaal') }}

),

renamed as (

    select
        cast(Afdelingsnr as integer)                             as department_number,
        Lejemaalsnr                                              as lease_number,
        Vej                                                      as street_name,
        cast(regexp_extract(Husnummer, '^[0-9]+') as integer)    as house_number,
        nullif(regexp_extract(Husnummer, '[A-Z]$'), '')          as house_letter,
        Etage_doer                                               as floor_door,
        Boligtype                                                as dwelling_type,
        cast(Rum as integer)                                     as rooms,
        {{ parse_decimal('Areal', '.') }}                        as floor_area_m2,

        make_date(_extract_year, 1, 1)                           as stock_date,
        {{ delivery_lineage() }}
    from source

)

select * from renamed
