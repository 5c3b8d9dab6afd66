-- School absence, one row per pupil, school year and indicator:
--   HP2025_UDD_FRAVAERSPROCENT       0.-10. klasse; each pupil weighs its months enrolled, value
--                                    = absent days / school days over all the pupil's schools
--                                    (a part-year pupil counts less)
--   HP2025_UDD_FRAVAER_OVER_10PCT    0.-10. klasse; 1 when that same pupil rate is > 10 %,
--                                    weighted by months enrolled like the fraværsprocent
--   HP2025_PROFIL_FRAVAER_OVER_15PCT 0.-10. klasse; the same above 15 %
--   HP2017_SK_FRAVAERSDAGE           0.-9. klasse; absent days (all kinds), plain mean per pupil
-- The three-school group of HP2017 is in int_indicator__institution_groups.
with pupils as (
    select *,
        {{ school_year_label('school_year_start') }} as period,
        {{ school_year_start('school_year_start') }} as period_start,
        {{ school_year_end('school_year_start') }} as period_end
    from {{ ref('int_school__absence_pupil_year') }}
)

select 'HP2025_UDD_FRAVAERSPROCENT' as indicator_id, person_key, period, period_start, period_end,
       school_year_start as membership_year, months_enrolled as weight, absence_rate as value
from pupils
union all
-- "over 10 %": the pupil's rate strictly above, with a tolerance so 10,0 % exactly (19,9 of 199
-- days) stays below
select 'HP2025_UDD_FRAVAER_OVER_10PCT', person_key, period, period_start, period_end,
       school_year_start, months_enrolled, case when absence_rate - 0.10 > 1e-9 then 1.0 else 0.0 end
from pupils
union all
select 'HP2025_PROFIL_FRAVAER_OVER_15PCT', person_key, period, period_start, period_end,
       school_year_start, months_enrolled, case when absence_rate - 0.15 > 1e-9 then 1.0 else 0.0 end
from pupils
union all
select 'HP2017_SK_FRAVAERSDAGE', person_key, period, period_start, period_end,
       school_year_start, 1.0, absence_days
from pupils
where grade_level <= 9
