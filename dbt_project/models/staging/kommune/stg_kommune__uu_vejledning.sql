-- Education status of young people on 1 October after leaving 9th or 10th grade. Period:
-- Status on 1 October of the year.
-- Staging: renamed and typed from raw.uu_vejledning, one row per delivered row.
with source as (

    select * from {{ source('kommune', 'uu_vejledning') }}

),

renamed as (

    select
        PNR_PSEUDO                        as person_key,
        cast(AFGANGSAAR as integer)       as leaving_year,
        AFGANGSKLASSE                     as leaving_grade,
        {{ parse_date('STATUSDATO') }}    as status_date,
        STATUS                            as education_status,
        UDDANNELSE                        as youth_education,

        {{ delivery_lineage() }}
    from source

)

select * from renamed
