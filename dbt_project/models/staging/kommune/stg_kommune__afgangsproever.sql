-- Grades at the 9th-grade exams, one row per pupil and discipline. Period: Exams at the end of
-- the school year starting in the year (2022 = sommer 2023).
-- Staging: renamed and typed from raw.afgangsproever, one row per delivered row.
with source as (

    select * from {{ source('kommune', 'afgangsproever') }}

),

renamed as (

    select
        PNR_PSEUDO                            as person_key,
        SKOLEAAR                              as school_year,
        cast(left(SKOLEAAR, 4) as integer)    as school_year_start,
        SKOLE_KODE                            as school_code,
        {{ parse_flag('SPECIALKLASSE') }}     as is_special_class,
        FAG                                   as subject,
        DISCIPLIN                             as discipline,
        KARAKTER                              as exam_grade,
        cast(KARAKTER as integer)             as exam_grade_value,

        {{ delivery_lineage() }}
    from source

)

select * from renamed
