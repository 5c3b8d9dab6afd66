-- Children enrolled in daycare on 1 January of each year whose dagtilbud file was delivered, with
-- their institution and the primary challenge the institution had registered in that year's file
-- (the registration can change from one yearly file to the next, so the file of the year is used;
-- the latest delivery's when that file does not hold the spell). Whether a spell runs on the day
-- comes from int_spells__daycare: each spell once, as its latest delivery knows it. Age in whole
-- years on 1 January from the CPR birth date.
with delivered_years as (
    select year from {{ ref('int_spells__delivered_years') }} where spell_source = 'dagtilbud'
),

spells as (
    select
        s.person_key,
        y.year,
        s.institution_code,
        s.daycare_type,
        coalesce(
            list_filter(s.yearly, lambda r: r.extract_year = y.year)[1].primary_challenge,
            case when not list_contains(list_transform(s.yearly, lambda r: r.extract_year), y.year)
                 then s.primary_challenge end
        ) as primary_challenge,
        s.enrolment_date
    from {{ ref('int_spells__daycare') }} as s
    join delivered_years as y
        on s.enrolment_date <= make_date(y.year, 1, 1)
        and coalesce(s.active_until, date '9999-12-31') >= make_date(y.year, 1, 1)
),

births as (
    select person_key, min(birth_date) as birth_date
    from {{ ref('stg_kommune__cpr_befolkning') }}
    group by person_key
)

select
    s.person_key,
    s.year,
    s.institution_code,
    s.daycare_type,
    s.primary_challenge,
    b.birth_date,
    {{ age_on('b.birth_date', 'make_date(s.year, 1, 1)') }} as age_years
from spells as s
left join births as b using (person_key)
-- one spell per child on the day (the later enrolment, should two overlap)
qualify row_number() over (partition by s.person_key, s.year order by s.enrolment_date desc) = 1
