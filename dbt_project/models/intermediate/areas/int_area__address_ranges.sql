-- Typed copy of the printed address ranges of the plan (seed area_address_ranges), one row per
-- range. Later models place addresses in areas with the macros in macros/address_in_range.sql,
-- which read this model; street_key is the normalised street name they join on.
with source as (
    select * from {{ ref('area_address_ranges') }}
)

select
    cast(range_id as integer)                          as range_id,
    cast(area_code as varchar)                         as area_code,
    cast(street_name as varchar)                       as street_name,
    lower(trim(street_name))                           as street_key,
    cast(number_from as integer)                       as number_from,
    cast(number_to as integer)                         as number_to,
    cast(parity as varchar)                            as parity,
    -- An empty cell means "any letter"; keep that as NULL so the macro has one case to test.
    nullif(upper(trim(cast(letters as varchar))), '')  as letters,
    cast(source_text as varchar)                       as source_text
from source
