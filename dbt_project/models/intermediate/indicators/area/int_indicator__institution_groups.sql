-- HP2017 figures for groups of institutions rather than residents (seed institutions):
--   HP2017_SK_FRAVAERSDAGE          HP2017_FRAVAER_SKOLER: pupils in 0.-9. klasse living in Randers
--                                   Nordby (1 January stock) at one of the three schools of
--                                   "Fra fravær til fremmøde"; mean absent days per pupil
--   HP2017_SK_NUSSA_SPROG / _SOCIAL HP2017_NUSSA: all children enrolled on 1 January in the three
--                                   NUSSA institutions (any age, any address), share whose
--                                   registered primary challenge is language / social
--   HP2017_SK_SPROG_DAGINSTITUTION  2-5-year-olds enrolled on 1 January in a daycare institution
--                                   in Nordbyen (HP2017_ALL), in the rest of the municipality
--                                   (RANDERS_EXCL_HP2017) and in all (RANDERS): the report
--                                   counts children "i daginstitution i Nordbyen", by institution
with institutions as (
    select * from {{ ref('institutions') }}
),

nordby_pupils as (
    select a.*
    from {{ ref('int_school__absence_pupil_year') }} as a
    join {{ ref('int_person__geography_year') }} as m
        on m.person_key = a.person_key and m.year = a.school_year_start and m.geography_code = 'HP2017_ALL'
    where a.grade_level <= 9
      and exists (
          select 1 from institutions as i
          where i.is_fravaer_skole_2017 and list_contains(a.school_codes, i.institution_code)
      )
),

absence_group as (
    select
        'HP2017_SK_FRAVAERSDAGE' as indicator_id,
        'HP2017_FRAVAER_SKOLER' as geography_code,
        {{ school_year_label('school_year_start') }} as period,
        {{ school_year_start('school_year_start') }} as period_start,
        {{ school_year_end('school_year_start') }} as period_end,
        sum(absence_days) as numerator,
        count(*) as denominator,
        count(*) as n
    from nordby_pupils
    group by school_year_start
),

daycare as (
    select d.*, i.is_nussa_2017, i.is_nordby_daginstitution_2017
    from {{ ref('int_daycare__enrolment_1jan') }} as d
    join institutions as i using (institution_code)
    -- "daginstitution": family daycare (dagpleje) is not an institution
    where d.daycare_type <> 'Dagpleje'
),

nussa as (
    select
        unnest(['HP2017_SK_NUSSA_SPROG', 'HP2017_SK_NUSSA_SOCIAL']) as indicator_id,
        year,
        unnest([count(*) filter (where primary_challenge = 'Sproglig'),
                count(*) filter (where primary_challenge = 'Social og miljømæssig')]) as numerator,
        count(*) as denominator
    from daycare
    where is_nussa_2017
    group by year
),

language_2_5 as (
    select
        geography_code,
        year,
        count(*) filter (where primary_challenge = 'Sproglig') as numerator,
        count(*) as denominator
    from daycare,
         unnest(case when is_nordby_daginstitution_2017 then ['HP2017_ALL', 'RANDERS']
                     else ['RANDERS_EXCL_HP2017', 'RANDERS'] end) as g(geography_code)
    where age_years between 2 and 5
    group by geography_code, year
),

yearly as (
    select indicator_id, 'HP2017_NUSSA' as geography_code, year, numerator, denominator from nussa
    union all
    select 'HP2017_SK_SPROG_DAGINSTITUTION', geography_code, year, numerator, denominator from language_2_5
)

select
    indicator_id, geography_code, period, period_start, period_end,
    numerator, denominator, n, 0 as areas_missing
from absence_group
union all
select
    indicator_id, geography_code, cast(year as varchar), make_date(year, 1, 1), make_date(year, 1, 1),
    numerator, denominator, denominator, 0
from yearly
