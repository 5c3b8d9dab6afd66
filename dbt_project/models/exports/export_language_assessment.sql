-- The language table as published: aggregates only, with primary suppression of cells
-- built on fewer than var('small_n_threshold') children (1 or 2), and the smallest other
-- category of the row suppressed too when exactly one is, since n_assessed is published and
-- the missing count could otherwise be recovered by subtraction. Differencing across areas
-- and years is handled by the disclosure-control layer (a later step).
with mart as (
    select * from {{ ref('mart_language_assessment') }}
),

long as (
    select geography_code, assessment_year, category, n
    from mart
    unpivot (n for category in (n_generel, n_fokuseret, n_saerlig))
),

primary_flags as (
    select *, n between 1 and {{ var('small_n_threshold') }} - 1 as is_primary
    from long
),

row_counts as (
    select geography_code, assessment_year, count(*) filter (where is_primary) as n_primary
    from primary_flags
    group by all
),

secondary as (
    -- the smallest non-suppressed category of a row with exactly one primary suppression
    select f.geography_code, f.assessment_year, f.category
    from primary_flags as f
    join row_counts as r using (geography_code, assessment_year)
    where r.n_primary = 1 and not f.is_primary
    qualify row_number() over (partition by f.geography_code, f.assessment_year order by f.n, f.category) = 1
),

flags as (
    select
        f.geography_code,
        f.assessment_year,
        f.category,
        f.is_primary or s.category is not null as is_suppressed
    from primary_flags as f
    left join secondary as s using (geography_code, assessment_year, category)
),

suppressed as (
    select
        geography_code,
        assessment_year,
        bool_or(is_suppressed) filter (where category = 'n_generel') as generel_suppressed,
        bool_or(is_suppressed) filter (where category = 'n_fokuseret') as fokuseret_suppressed,
        bool_or(is_suppressed) filter (where category = 'n_saerlig') as saerlig_suppressed
    from flags
    group by all
)

select
    m.geography_name as "Geografi",
    m.assessment_year as "År",
    case when m.n_assessed >= {{ var('small_n_threshold') }} then m.n_assessed end as "Antal vurderede",
    case when not s.generel_suppressed and m.n_assessed >= {{ var('small_n_threshold') }} then round(m.pct_generel, 1) end as "Generel indsats (%)",
    case when not s.fokuseret_suppressed and m.n_assessed >= {{ var('small_n_threshold') }} then round(m.pct_fokuseret, 1) end as "Fokuseret indsats (%)",
    case when not s.saerlig_suppressed and m.n_assessed >= {{ var('small_n_threshold') }} then round(m.pct_saerlig, 1) end as "Særlig indsats (%)",
    case
        when m.n_assessed = 0 then 'Ingen vurderede'
        when m.n_assessed < {{ var('small_n_threshold') }} then 'Diskretioneret: færre end {{ var("small_n_threshold") }} børn'
        when s.generel_suppressed or s.fokuseret_suppressed or s.saerlig_suppressed
            then 'Delvist diskretioneret: celler med færre end {{ var("small_n_threshold") }} børn'
    end as "Note",
    m.geography_code as geography_code
from mart as m
join suppressed as s using (geography_code, assessment_year)
order by m.assessment_year, m.sort_order
