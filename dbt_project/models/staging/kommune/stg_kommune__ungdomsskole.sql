-- Youth-school enrolments. Period: School year starting in August of the year.
-- Staging: renamed and typed from raw.ungdomsskole, one row per delivered row.
with source as (

    select * from {{ source('kommune', 'ungdomsskole') }}

),

renamed as (

    select
        PNR_PSEUDO                            as person_key,
        SKOLEAAR                              as school_year,
        cast(left(SKOLEAAR, 4) as integer)    as school_year_start,
        TILBUD                                as youth_school_offer,
        {{ parse_date('TILMELDT') }}          as enrolment_date,

        {{ delivery_lineage() }}
    from source

)

select * from renamed
