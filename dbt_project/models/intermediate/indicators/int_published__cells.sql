-- Every cell of every published aggregate table, long, with the geography resolved to a code.
-- Turnout is published per election: the election is part of the measure ("AFGIVNE_STEMMER@Kommunalvalg").
with cells as (
    select 'dst_boligomraader' as source, 'dst' as source_family, geography_name, measure,
           value, value_marker, extract_year, null as departments_included
    from {{ ref('stg_dst__boligomraader') }}
    union all
    select 'dst_valgdeltagelse', 'dst', geography_name, measure || '@' || election,
           value, value_marker, extract_year, null
    from {{ ref('stg_dst__valgdeltagelse') }}
    union all
    select 'lbf_boligsociale_data', 'lbf', geography_name, measure,
           value, value_marker, extract_year, departments_included
    from {{ ref('stg_lbf__boligsociale_data') }}
    union all
    select 'lbf_tryghedsmaaling', 'lbf', geography_name, measure,
           value, value_marker, extract_year, null
    from {{ ref('stg_lbf__tryghedsmaaling') }}
),

names as (
    select geography_name as name_as_published, geography_code, null as source_family
    from {{ ref('geographies') }}
)

select
    c.*,
    coalesce(a.geography_code, n.geography_code) as geography_code
from cells as c
left join {{ ref('geography_aliases') }} as a
    on a.source_family = c.source_family and a.name_as_published = c.geography_name
left join names as n
    on n.name_as_published = c.geography_name
