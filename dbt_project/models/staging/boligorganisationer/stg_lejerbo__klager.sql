-- Lejerbo's neighbour complaints. Lejerbo delivers no eviction extract. Period: Complaints
-- received in the calendar year.
-- Staging: renamed and typed from raw.lejerbo_klager, one row per delivered row.
with source as (

    select * from {{ source('boligorganisationer', 'lejerbo_klager') }}

),

renamed as (

    select
        cast(Afdelingsnr as integer)            as department_number,
        Lejemaalsnr                             as lease_number,
        {{ parse_date('Dato', '%d-%m-%Y') }}    as complaint_date,
        Kategori                                as complaint_category,

        {{ delivery_lineage() }}
    from source

)

select * from renamed
