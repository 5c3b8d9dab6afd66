-- Residents of the municipality with address, family links and origin. Period: Stock on 1
-- January of the year.
-- Staging: renamed and typed from raw.cpr_befolkning, one row per delivered row.
with source as (

    select * from {{ source('kommune', 'cpr_befolkning') }}

),

renamed as (

    select
        PNR_PSEUDO                          as person_key,
        {{ parse_date('FOEDSELSDATO') }}    as birth_date,
        KOEN                                as sex,
        VEJNAVN                             as street_name,
        cast(HUSNR as integer)              as house_number,
        HUSBOGSTAV                          as house_letter,
        ETAGE                               as floor,
        DOER                                as door,
        cast(POSTNR as integer)             as postal_code,
        MOR_PNR_PSEUDO                      as mother_person_key,
        FAR_PNR_PSEUDO                      as father_person_key,
        FAMILIE_ID                          as household_id,
        STATSBORGERSKAB                     as citizenship,
        OPRINDELSE                          as origin_group,
        OPRINDELSE in ('4', '5')            as is_non_western,

        make_date(_extract_year, 1, 1)      as stock_date,
        {{ delivery_lineage() }}
    from source

)

select * from renamed
