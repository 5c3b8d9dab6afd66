-- Almenboligloven § 61 a (udsatte boligområder, parallelsamfund) and § 61 b
-- (forebyggelsesområder) per plan area and year, computed from Danmarks Statistik's small-area
-- figures: each criterion, its threshold, how far the area is from it, and the classification.
-- Assumption (documented in docs/indicator-catalogue.md): the list of year Y uses the DST table
-- of year Y (residents on 1 January Y) and, for the two-year criteria, the average of the
-- tables of Y-1 and Y.
with cells as (
    -- the list of year Y rests on the 1 January Y table: known by the as-of date of report year Y
    select geography_code, extract_year as year, measure, value, value_marker
    from {{ ref('int_published__cells') }}
    where source = 'dst_boligomraader'
      and {{ is_known_as_of(stock_1jan_date('extract_year')) }}
),

wide as (
    select
        geography_code,
        year,
        {%- for m in ['BEFOLKNING', 'BEF_IKKEVESTLIG', 'BEF_18_64', 'BEF_18_64_UDEN_TILKNYTNING', 'DOEMTE',
                      'BEF_15_PLUS', 'BEF_30_59', 'BEF_30_59_KUN_GRUNDSKOLE', 'GNS_BRUTTOINDKOMST_15_64'] %}
        max(value) filter (where measure = '{{ m }}') as {{ m }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from cells
    group by geography_code, year
),

rates as (
    select
        geography_code,
        year,
        BEFOLKNING as residents,
        100.0 * BEF_IKKEVESTLIG / nullif(BEFOLKNING, 0) as pct_non_western,
        100.0 * BEF_18_64_UDEN_TILKNYTNING / nullif(BEF_18_64, 0) as pct_outside_labour_market,
        100.0 * DOEMTE / nullif(BEF_15_PLUS, 0) as pct_convicted,
        100.0 * BEF_30_59_KUN_GRUNDSKOLE / nullif(BEF_30_59, 0) as pct_only_basic_education,
        GNS_BRUTTOINDKOMST_15_64 as avg_gross_income
    from wide
),

reference_rates as (
    select
        a.geography_code,
        a.year,
        dk.pct_convicted as national_pct_convicted,
        dk_prev.pct_convicted as national_pct_convicted_prev,
        region.avg_gross_income as regional_avg_gross_income
    from rates as a
    left join rates as dk on dk.geography_code = 'DK' and dk.year = a.year
    left join rates as dk_prev on dk_prev.geography_code = 'DK' and dk_prev.year = a.year - 1
    left join rates as region on region.geography_code = 'REGION_MIDT' and region.year = a.year
),

criteria as (
    select
        a.geography_code,
        a.year,
        a.residents,
        a.pct_non_western,
        (a.pct_outside_labour_market + prev.pct_outside_labour_market) / 2 as outside_labour_market_2y,
        (a.pct_convicted + prev.pct_convicted) / 2
            / nullif((r.national_pct_convicted + r.national_pct_convicted_prev) / 2, 0) as convicted_ratio_to_national_2y,
        a.pct_only_basic_education,
        100.0 * a.avg_gross_income / nullif(r.regional_avg_gross_income, 0) as income_pct_of_region
    from rates as a
    join {{ ref('geographies') }} as g on g.geography_code = a.geography_code and g.geography_type = 'area'
    left join rates as prev on prev.geography_code = a.geography_code and prev.year = a.year - 1
    left join reference_rates as r on r.geography_code = a.geography_code and r.year = a.year
),

flags as (
    select
        *,
        outside_labour_market_2y > 40 as meets_labour_market,
        convicted_ratio_to_national_2y >= 3 as meets_crime,
        pct_only_basic_education > 60 as meets_education,
        income_pct_of_region < 55 as meets_income,
        -- § 61 b uses lower thresholds for employment, crime and income
        outside_labour_market_2y > 30 as meets_labour_market_61b,
        convicted_ratio_to_national_2y >= 2 as meets_crime_61b,
        income_pct_of_region < 65 as meets_income_61b
    from criteria
)

select
    f.geography_code as area_code,
    g.geography_name as area_name,
    f.year as list_year,
    f.residents,
    f.residents >= 1000 as is_boligomraade,
    1000 - f.residents as residents_short_of_1000,
    f.pct_non_western,
    f.outside_labour_market_2y,
    f.outside_labour_market_2y - 40 as outside_labour_market_distance,
    f.convicted_ratio_to_national_2y,
    f.convicted_ratio_to_national_2y - 3 as convicted_ratio_distance,
    f.pct_only_basic_education,
    f.pct_only_basic_education - 60 as only_basic_education_distance,
    f.income_pct_of_region,
    55 - f.income_pct_of_region as income_distance,
    coalesce(f.meets_labour_market, false)::int + coalesce(f.meets_crime, false)::int
        + coalesce(f.meets_education, false)::int + coalesce(f.meets_income, false)::int as criteria_met,
    f.meets_labour_market,
    f.meets_crime,
    f.meets_education,
    f.meets_income,
    -- a criterion that cannot be computed (suppressed or missing input) is unknown, not "not met"
    (f.outside_labour_market_2y is null or f.convicted_ratio_to_national_2y is null
        or f.pct_only_basic_education is null or f.income_pct_of_region is null) as has_unknown_criteria,
    case
        when f.residents < 1000 then
            case when criteria_met >= 2 then 'Under 1.000 beboere (opfylder ' || criteria_met || ' kriterier)'
                 else 'Under 1.000 beboere' end
        when criteria_met >= 2 and f.pct_non_western > 50 then 'Parallelsamfund'
        when criteria_met >= 2 then 'Udsat boligområde'
        when f.pct_non_western > 30
             and (coalesce(f.meets_labour_market_61b, false)::int + coalesce(f.meets_crime_61b, false)::int
                  + coalesce(f.meets_education, false)::int + coalesce(f.meets_income_61b, false)::int) >= 2
            then 'Forebyggelsesområde'
        else 'Ikke på listerne'
    end as classification
from flags as f
join {{ ref('geographies') }} as g using (geography_code)
