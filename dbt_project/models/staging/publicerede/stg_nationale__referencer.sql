-- National reference figures, one row per measure. Staging: renamed and typed from
-- raw.nationale_referencer; the figure parsed in DST's format with its marker.
{%- set markers = published_markers('dst') %}

with source as (

    select * from {{ source('publicerede', 'nationale_referencer') }}

),

renamed as (

    select
        MAAL as measure,
        BESKRIVELSE as description,
        PERIODE as period,
        {{ published_value('VAERDI', markers, ',') }} as value,
        {{ value_marker('VAERDI', markers) }} as value_marker,
        VAERDI as value_as_delivered,
        KILDE as published_by,

        {{ delivery_lineage() }}
    from source

)

select * from renamed
