-- Daycare enrolment spells. Period: Spells active at some time in the calendar year.
-- Staging: renamed and typed from raw.dagtilbud, one row per delivered row.
with source as (

    select * from {{ source('kommune', 'dagtilbud') }}

),

renamed as (

    select
        PNR_PSEUDO                      as person_key,
        INSTITUTION_KODE                as institution_code,
        TILBUDSTYPE                     as daycare_type,
        PRIMAER_UDFORDRING              as primary_challenge,
        {{ parse_date('INDMELDT') }}    as enrolment_date,
        {{ parse_date('UDMELDT') }}     as end_date,

        {{ delivery_lineage() }}
    from source

)

select * from renamed
