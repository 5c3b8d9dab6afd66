-- Absence per pupil and school year, by kind of absence. Period: School year starting in
-- August of the year (2023 = skoleåret 2023/24).
-- Staging: renamed and typed from raw.skolefravaer, one row per delivered row.
with source as (

    select * from {{ source('kommune', 'skolefravaer') }}

),

renamed as (

    select
        PNR_PSEUDO                                 as person_key,
        SKOLEAAR                                   as school_year,
        cast(left(SKOLEAAR, 4) as integer)         as school_year_start,
        SKOLE_KODE                                 as school_code,
        cast(KLASSETRIN as integer)                as grade_level,
        cast(SKOLEDAGE as integer)                 as school_days,
        cast(MAANEDER_INDSKREVET as integer)       as months_enrolled,
        {{ parse_decimal('FRAVAER_SYGDOM') }}      as absence_illness_days,
        {{ parse_decimal('FRAVAER_LOVLIGT') }}     as absence_permitted_days,
        {{ parse_decimal('FRAVAER_ULOVLIGT') }}    as absence_unlawful_days,

        {{ delivery_lineage() }}
    from source

)

select * from renamed
