"""The indicator subset the bench times three ways, and how the three results are compared.

The subset (person-level indicators of plan 2025-29, every geography the population model
places residents in):

* ``HP2025_UDD_FRAVAERSPROCENT``   absence % of pupils in 0.-10. klasse, months-weighted
* ``HP2025_UDD_FRAVAER_OVER_10PCT`` share of pupils with more than 10 % absence
* ``HP2025_BESK_KONTANTHJAELP``    full-time kontanthjælp recipients (jobparat/aktivitetsparat)
  per 18-64-year-old, October-September
* ``LANG_N_*``                     Sprogvurdering 3-6 of children assessed for a presumed need:
  number assessed and number with generel / fokuseret / særlig indsats

They touch the three big person-level registers (CPR stock, school absence, benefit months),
the address-range area model and the geography roll-up; every result row is
(measure, geography_code, period, n, value).

``FLOOR_SQL`` is the hand-written single DuckDB query over the raw tables (text as delivered)
and the area-model seeds: it aggregates per area first and rolls the few area rows up to the
geographies, which is the fastest plan a person who knows DuckDB would write.
``ours_frame`` reads the same figures from what dbt built.
"""

from __future__ import annotations

import json

import duckdb
import pandas as pd

SUBSET_INDICATORS = ("HP2025_UDD_FRAVAERSPROCENT", "HP2025_UDD_FRAVAER_OVER_10PCT", "HP2025_BESK_KONTANTHJAELP")
LANGUAGE_MEASURES = {
    "LANG_N_ASSESSED": "n_assessed",
    "LANG_N_GENEREL": "n_generel",
    "LANG_N_FOKUSERET": "n_fokuseret",
    "LANG_N_SAERLIG": "n_saerlig",
}
KEY = ["measure", "geography_code", "period"]
# The raw sources the subset reads (the national demo writes these).
SUBSET_SOURCES = ("cpr_befolkning", "skolefravaer", "sprogvurdering", "jobcenter_ydelser")

# The dbt models the subset needs, with everything upstream (dbt selection syntax). The
# product cannot build fewer: int_indicator__computed_values stacks every person-level model.
OURS_SELECTION = ["+int_indicator__computed_values", "+mart_language_assessment", "+mart_report_year"]
# ...and the subset's indicators only: every person-level indicator is a view stacked into
# int_indicator__computed_values, and its var indicator_ids keeps the others from being
# computed, so ours computes what the floor computes (without it: every indicator of both plans).
OURS_VARS = ["--vars", json.dumps({"indicator_ids": list(SUBSET_INDICATORS)})]

FLOOR_SQL = r"""
with ranges as (
    select area_code, lower(trim(street_name)) as street_key,
           cast(number_from as integer) as nf, cast(number_to as integer) as nt, parity,
           nullif(upper(trim(cast(letters as varchar))), '') as letters
    from reference.area_address_ranges
),
cpr as (
    select PNR_PSEUDO as person_key, _extract_year as year,
           cast(strptime(FOEDSELSDATO, '%Y-%m-%d') as date) as birth_date,
           VEJNAVN as street, cast(HUSNR as integer) as nr, HUSBOGSTAV as letter
    from raw.cpr_befolkning
),
address_area as (
    -- the few distinct addresses, not every person-year, go through the range join
    select a.street, a.nr, a.letter, min(r.area_code) as area_code
    from (select distinct street, nr, letter from cpr) as a
    left join ranges as r
        on r.street_key = lower(trim(a.street))
        and a.nr between r.nf and r.nt
        and (r.parity = 'all' or (r.parity = 'odd' and a.nr % 2 = 1) or (r.parity = 'even' and a.nr % 2 = 0))
        and (r.letters is null
             or coalesce(position('|' || upper(trim(a.letter)) || '|' in '|' || r.letters || '|') > 0, false))
    group by all
),
residence as (
    select c.person_key, c.year, c.birth_date, aa.area_code
    from cpr as c
    left join address_area as aa
        on aa.street = c.street and aa.nr = c.nr and aa.letter is not distinct from c.letter
),
-- area (NULL = outside every area) -> every geography its residents count towards
area_list as (
    select distinct area_code from ranges union all select null
),
area_geography as (
    select area_code, area_code as geography_code from area_list where area_code is not null
    union all
    select pa.area_code, g.geography_code
    from reference.plan_areas as pa
    join reference.geographies as g on g.geography_type = 'plan_total' and g.plan_code = pa.plan_code
    union all
    select area_code, 'RANDERS' from area_list
    union all
    select a.area_code, g.geography_code
    from area_list as a
    join reference.geographies as g on g.geography_type = 'municipality_excl_plan'
    where not exists (select 1 from reference.plan_areas as pa
                      where pa.plan_code = g.plan_code and pa.area_code = a.area_code)
),
pupil as (
    select PNR_PSEUDO as person_key, cast(left(SKOLEAAR, 4) as integer) as sy,
           sum(cast(MAANEDER_INDSKREVET as integer)) as months,
           sum(cast(SKOLEDAGE as integer)) as days,
           sum(cast(replace(FRAVAER_SYGDOM, ',', '.') as double) + cast(replace(FRAVAER_LOVLIGT, ',', '.') as double)
               + cast(replace(FRAVAER_ULOVLIGT, ',', '.') as double)) as absent,
           sum(cast(MAANEDER_INDSKREVET as integer)
               * (cast(replace(FRAVAER_SYGDOM, ',', '.') as double) + cast(replace(FRAVAER_LOVLIGT, ',', '.') as double)
                  + cast(replace(FRAVAER_ULOVLIGT, ',', '.') as double))
               / cast(SKOLEDAGE as integer)) as weighted_absent
    from raw.skolefravaer
    group by all
),
absence_area as (
    select r.area_code, p.sy || '/' || lpad(cast((p.sy + 1) % 100 as varchar), 2, '0') as period,
           count(*) as n, sum(p.months) as den, sum(p.weighted_absent) as num_rate,
           sum(case when p.absent - 0.10 * p.days > 1e-9 then p.months else 0 end) as num_over10
    from pupil as p
    join residence as r on r.person_key = p.person_key and r.year = p.sy
    group by all
),
benefit_years as (
    select distinct cast(left(MAANED, 4) as integer) as year from raw.jobcenter_ydelser
),
kh as (
    select PNR_PSEUDO as person_key,
           case when cast(right(MAANED, 2) as integer) >= 10 then cast(left(MAANED, 4) as integer) + 1
                else cast(left(MAANED, 4) as integer) end as window_end_year,
           least(sum(cast(replace(FULDTIDSANDEL, ',', '.') as double)), 12.0) / 12.0 as fulltime_persons
    from raw.jobcenter_ydelser
    where YDELSE = 'Kontanthjælp' and MATCHGRUPPE in ('Jobparat', 'Aktivitetsparat')
    group by all
),
kh_area as (
    select r.area_code, (r.year - 1) || '-10..' || r.year || '-09' as period,
           count(*) as n, count(*) as den, sum(coalesce(k.fulltime_persons, 0.0)) as num
    from residence as r
    left join kh as k on k.person_key = r.person_key and k.window_end_year = r.year
    where date_sub('year', r.birth_date, make_date(r.year, 1, 1)) between 18 and 64
      and r.year in (select year from benefit_years) and r.year - 1 in (select year from benefit_years)
    group by all
),
language_area as (
    select r.area_code, cast(year(cast(strptime(s.VURDERINGSDATO, '%Y-%m-%d') as date)) as varchar) as period,
           count(*) as n_assessed,
           count(*) filter (where s.RESULTAT = 'Generel indsats') as n_generel,
           count(*) filter (where s.RESULTAT = 'Fokuseret indsats') as n_fokuseret,
           count(*) filter (where s.RESULTAT = 'Særlig indsats') as n_saerlig
    from raw.sprogvurdering as s
    join residence as r
        on r.person_key = s.PNR_PSEUDO and r.year = year(cast(strptime(s.VURDERINGSDATO, '%Y-%m-%d') as date))
    where s.AARSAG = 'Formodet behov'
    group by all
),
absence_geo as (
    select g.geography_code, a.period, sum(a.n) as n, sum(a.den) as den,
           sum(a.num_rate) as num_rate, sum(a.num_over10) as num_over10
    from absence_area as a join area_geography as g on g.area_code is not distinct from a.area_code
    group by all
),
kh_geo as (
    select g.geography_code, k.period, sum(k.n) as n, sum(k.den) as den, sum(k.num) as num
    from kh_area as k join area_geography as g on g.area_code is not distinct from k.area_code
    group by all
),
language_geo as (
    select g.geography_code, l.period, sum(l.n_assessed) as n_assessed, sum(l.n_generel) as n_generel,
           sum(l.n_fokuseret) as n_fokuseret, sum(l.n_saerlig) as n_saerlig
    from language_area as l join area_geography as g on g.area_code is not distinct from l.area_code
    group by all
)
select 'HP2025_UDD_FRAVAERSPROCENT' as measure, geography_code, period, n, 100.0 * num_rate / den as value from absence_geo
union all
select 'HP2025_UDD_FRAVAER_OVER_10PCT', geography_code, period, n, 100.0 * num_over10 / den from absence_geo
union all
select 'HP2025_BESK_KONTANTHJAELP', geography_code, period, n, 100.0 * num / den from kh_geo
union all
select 'LANG_N_ASSESSED', geography_code, period, n_assessed, n_assessed from language_geo
union all
select 'LANG_N_GENEREL', geography_code, period, n_assessed, n_generel from language_geo
union all
select 'LANG_N_FOKUSERET', geography_code, period, n_assessed, n_fokuseret from language_geo
union all
select 'LANG_N_SAERLIG', geography_code, period, n_assessed, n_saerlig from language_geo
"""


def floor_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return normalise(con.execute(FLOOR_SQL).df())


def within_as_of(frame: pd.DataFrame, con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The rows the marts can hold: the floor and the pandas peer count every assessment year
    delivered, mart_language_assessment only calendar years that had ended by the marts' as-of
    date (marts.mart_report_year; a partial year delivered mid-year is not a year)."""
    (as_of,) = con.execute("select as_of_date from marts.mart_report_year").fetchone()
    language = frame["measure"].isin(list(LANGUAGE_MEASURES))
    year_end = pd.to_datetime(frame["period"].where(language, "1900") + "-12-31", errors="coerce")
    return frame[~language | (year_end <= pd.Timestamp(as_of))].reset_index(drop=True)


def ours_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The subset as the warehouse computed it: the indicator values behind the marts, and
    mart_language_assessment (rows with someone assessed; the mart scaffolds zero rows)."""
    ids = ", ".join(f"'{i}'" for i in SUBSET_INDICATORS)
    language = " union all ".join(
        f"select '{measure}' as measure, geography_code, cast(assessment_year as varchar) as period, "
        f"n_assessed as n, cast({column} as double) as value "
        "from marts.mart_language_assessment where n_assessed > 0"
        for measure, column in LANGUAGE_MEASURES.items()
    )
    return normalise(con.execute(
        f"select indicator_id as measure, geography_code, period, n, value "
        f"from intermediate.int_indicator__computed_values where indicator_id in ({ids}) "
        f"union all {language}"
    ).df())


def mart_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The same indicators as mart_area_indicator publishes them to analysts (yearly periods
    with a value; the mart reports each plan's own geographies only)."""
    ids = ", ".join(f"'{i}'" for i in SUBSET_INDICATORS)
    return normalise(con.execute(
        f"select indicator_id as measure, geography_code, period, n, value from marts.mart_area_indicator "
        f"where indicator_id in ({ids}) and source_kind = 'computed' and value is not null "
        f"and not regexp_full_match(period, '\\d{{4}}-\\d{{4}}')"
    ).df())


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype({"measure": "string", "geography_code": "string", "period": "string"})
    frame["n"] = frame["n"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    return frame.sort_values(KEY).reset_index(drop=True)


def differences(expected: pd.DataFrame, actual: pd.DataFrame, *, subset_of_actual: bool = False,
                rel_tol: float = 1e-9) -> list[str]:
    """Rows that differ between two results (empty list: equal). With ``subset_of_actual``,
    rows of ``actual`` that ``expected`` lacks are allowed (the marts report fewer geographies)."""
    merged = expected.merge(actual, on=KEY, how="outer", suffixes=("_expected", "_actual"), indicator=True)
    problems = []
    only_expected = merged[merged["_merge"] == "left_only"]
    only_actual = merged[merged["_merge"] == "right_only"]
    problems += [f"missing {tuple(r)}" for r in only_expected[KEY].head(10).itertuples(index=False)]
    if not subset_of_actual:
        problems += [f"extra {tuple(r)}" for r in only_actual[KEY].head(10).itertuples(index=False)]
    both = merged[merged["_merge"] == "both"]
    bad_n = both[both["n_expected"] != both["n_actual"]]
    scale = both[["value_expected", "value_actual"]].abs().max(axis=1).clip(lower=1.0)
    bad_value = both[((both["value_expected"] - both["value_actual"]).abs() > rel_tol * scale)
                     | (both["value_expected"].isna() != both["value_actual"].isna())]
    problems += [f"n differs {tuple(r)}" for r in bad_n[KEY + ["n_expected", "n_actual"]].head(10).itertuples(index=False)]
    problems += [f"value differs {tuple(r)}"
                 for r in bad_value[KEY + ["value_expected", "value_actual"]].head(10).itertuples(index=False)]
    return problems
