-- Children enrolled in daycare on 1 January of each year, with their institution and the
-- primary challenge the institution had registered in that year's file (the registration can
-- change from one yearly file to the next, so the file of the year is used, not the spell).
-- Age in whole years on 1 January from the CPR birth date.
with spells as (
    select
        person_key,
        extract_year as year,
        institution_code,
        daycare_type,
        primary_challenge,
        enrolment_date
    from {{ ref('stg_kommune__dagtilbud') }}
    where enrolment_date <= make_date(extract_year, 1, 1)
      and coalesce(end_date, date '9999-12-31') >= make_date(extract_year, 1, 1)
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
