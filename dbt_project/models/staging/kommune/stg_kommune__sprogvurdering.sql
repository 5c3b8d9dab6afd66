-- Language assessments of children aged 3-6 and their result. Period: Assessments made in the
-- calendar year.
-- Staging: renamed and typed from raw.sprogvurdering, one row per delivered row.
with source as (

    select * from {{ source('kommune', 'sprogvurdering') }}

),

renamed as (

    select
        PNR_PSEUDO                            as person_key,
        {{ parse_date('VURDERINGSDATO') }}    as assessment_date,
        cast(ALDER as integer)                as age_years,
        INSTITUTION_KODE                      as institution_code,
        AARSAG                                as assessment_reason,
        RESULTAT                              as assessment_result,

        {{ delivery_lineage() }}
    from source

)

select * from renamed
