-- Months on a public benefit, with match group and full-time fraction. Period: Benefit months
-- in the calendar year.
-- Staging: renamed and typed from raw.jobcenter_ydelser, one row per delivered row.
with source as (

    select * from {{ source('kommune', 'jobcenter_ydelser') }}

),

renamed as (

    select
        PNR_PSEUDO                              as person_key,
        {{ parse_month('MAANED') }}             as benefit_month,
        YDELSE                                  as benefit_type,
        MATCHGRUPPE                             as match_group,
        {{ parse_decimal('FULDTIDSANDEL') }}    as fulltime_fraction,

        {{ delivery_lineage() }}
    from source

)

select * from renamed
