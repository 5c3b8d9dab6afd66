"""Write the national demo's extracts year by year, streamed out of DuckDB.

Every person is a row number ``i`` of the universe; every attribute is a uniform draw
``u(i, what[, year])`` from DuckDB's hash, so a year's files are computed independently of
each other and of the run that produced them (deterministic for a given DuckDB version).
Per year one stock table (about 6 million rows, spilled to disk by DuckDB if needed) is
built and the four files are written from it with COPY; peak memory is DuckDB's limit plus
the small Windows-1252 file written through pandas."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from demo import output_folder
from demo.national.config import NationalConfig
from demo.national.seeds import write_area_model
from demo.writers import write_extract
from ingestion.contract import source

MANIFEST = "national_manifest.json"


def _stock_sql(c: NationalConfig, year: int) -> str:
    """The 1 January stock of ``year``: who lives where (a move every four years)."""
    return f"""
    with universe as (
        select i,
               format('{{:016x}}', hash(i, 'pnr', {_q(c.seed)})) as pnr,
               date '1925-01-01' + cast(floor(u(i, 'birth') * 36890) as integer) as birth_date,
               case when u(i, 'sex') < 0.5 then 'M' else 'K' end as sex,
               cast(floor({c.municipalities} * pow(u(i, 'municipality'), 1.6)) as integer) as m,
               u(i, 'origin') < 0.12 as non_western,
               {c.first_year} + cast(floor(u(i, 'exit') * 400) as integer) as exit_year,
               (({year} + i % 4) // 4) as spell
        from range({c.persons}) as t(i)
    ),
    placed as (
        select *,
               u2(i, 'in_area', spell) < {c.area_share} * case when non_western then 2.5 else 0.8 end as in_area,
               cast(floor(u2(i, 'which', spell) * {c.areas_per_municipality}) as integer) as k_area,
               cast(floor(u2(i, 'street', spell) * 200) as integer) as k_street,
               1 + cast(floor(u2(i, 'number', spell) * 199) as integer) as nr,
               case when u2(i, 'letter', spell) < 0.05 then 'A' end as letter
        from universe
        where birth_date < make_date({year}, 1, 1) and {year} < exit_year
    )
    select i, pnr, birth_date, sex, m, non_western, in_area,
           case when in_area then 'Områdevej A' || lpad(cast(m * {c.areas_per_municipality} + k_area + 1 as varchar), 4, '0')
                else 'Kommunevej K' || lpad(cast(m + 1 as varchar), 3, '0') || '-' || lpad(cast(k_street as varchar), 3, '0')
           end as street,
           nr, letter
    from placed
    """


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _decimal(expr: str) -> str:
    return f"replace(cast(round({expr}, 1) as varchar), '.', ',')"


def _copy(con: duckdb.DuckDBPyConnection, sql: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name("." + path.name + ".tmp")
    con.execute(f"copy ({sql}) to {_q(str(tmp))} (header, delimiter ';')")
    tmp.replace(path)
    return path


def write_year(con: duckdb.DuckDBPyConnection, c: NationalConfig, year: int, out: Path) -> list[Path]:
    con.execute(f"create or replace table stock as {_stock_sql(c, year)}")
    files = []
    cpr = source("cpr_befolkning")
    files.append(_copy(con, """
        select pnr as PNR_PSEUDO, strftime(birth_date, '%Y-%m-%d') as FOEDSELSDATO, sex as KOEN,
               street as VEJNAVN, nr as HUSNR, letter as HUSBOGSTAV, null as ETAGE, null as DOER,
               1000 + m * 89 as POSTNR, null as MOR_PNR_PSEUDO, null as FAR_PNR_PSEUDO,
               'F' || lpad(cast(i // 2 as varchar), 8, '0') as FAMILIE_ID, 'DK' as STATSBORGERSKAB,
               case when non_western then case when u(i, 'generation') < 0.6 then '4' else '5' end else '1' end as OPRINDELSE
        from stock order by i""", out / cpr.folder / cpr.file_name(year)))

    school = source("skolefravaer")
    files.append(_copy(con, f"""
        with pupils as (
            select *, {year} - year(birth_date) - 6 as grade,
                   case when u2(i, 'part_year', {year}) < 0.08 then 6 + cast(floor(u2(i, 'months', {year}) * 6) as integer)
                        else 12 end as months
            from stock
        ),
        rated as (
            select *, cast(round(200 * months / 12.0) as integer) as days,
                   0.03 + 0.09 * pow(u2(i, 'absence', {year}), 2) + case when in_area then 0.02 else 0 end as rate
            from pupils where grade between 0 and 10
        )
        select pnr as PNR_PSEUDO, {year} || '/' || lpad(cast(({year} + 1) % 100 as varchar), 2, '0') as SKOLEAAR,
               lpad(cast(100000 + m * 50 + cast(floor(u2(i, 'school', {year}) * 50) as integer) as varchar), 6, '0') as SKOLE_KODE,
               grade as KLASSETRIN, days as SKOLEDAGE, months as MAANEDER_INDSKREVET,
               {_decimal('0.6 * rate * days')} as FRAVAER_SYGDOM,
               {_decimal('0.25 * rate * days')} as FRAVAER_LOVLIGT,
               {_decimal('0.15 * rate * days')} as FRAVAER_ULOVLIGT
        from rated order by i""", out / school.folder / school.file_name(year)))

    benefits = source("jobcenter_ydelser")
    files.append(_copy(con, f"""
        with adults as (
            select * from stock where date_sub('year', birth_date, make_date({year}, 1, 1)) between 18 and 64
        ),
        spells as (
            select i, pnr, 'Kontanthjælp' as benefit,
                   case when u2(i, 'match', {year}) < 0.4 then 'Jobparat' else 'Aktivitetsparat' end as match_group,
                   case when u2(i, 'fulltime', {year}) < 0.8 then '1' else '0,5' end as fulltime,
                   1 + cast(floor(u2(i, 'kh_start', {year}) * 12) as integer) as first_month,
                   1 + cast(floor(u2(i, 'kh_length', {year}) * 12) as integer) as length
            from adults
            where u2(i, 'kh', {year}) < case when in_area then 0.10 else 0.025 end
            union all
            select i, pnr, 'Dagpenge', null, '1', 1 + cast(floor(u2(i, 'dp_start', {year}) * 10) as integer), 3
            from adults
            where u2(i, 'dp', {year}) < 0.03
        )
        select pnr as PNR_PSEUDO, {year} || '-' || lpad(cast(month as varchar), 2, '0') as MAANED, benefit as YDELSE,
               match_group as MATCHGRUPPE, fulltime as FULDTIDSANDEL
        from spells, range(1, 13) as r(month)
        where month between first_month and least(12, first_month + length - 1)
        order by i, month, benefit""", out / benefits.folder / benefits.file_name(year)))

    # Hjernen&Hjertet exports Windows-1252, which DuckDB does not write: the file is small
    # (one birth cohort), so it goes through the product's own writer.
    language = con.execute(f"""
        with children as (
            select *, make_date({year}, 1 + cast(floor(u2(i, 'lang_month', {year}) * 11) as integer),
                                1 + cast(floor(u2(i, 'lang_day', {year}) * 28) as integer)) as assessed_on,
                   u2(i, 'lang_reason', {year}) as r_reason, u2(i, 'lang_result', {year}) as r_result
            from stock where year(birth_date) = {year} - 3
        ),
        assessed as (
            select *, case when r_reason < case when in_area then 0.30 else 0.12 end then 'Formodet behov'
                           when r_reason < 0.85 then 'Alle 3-årige' end as reason
            from children
        )
        select pnr as PNR_PSEUDO, strftime(assessed_on, '%Y-%m-%d') as VURDERINGSDATO,
               date_sub('year', birth_date, assessed_on) as ALDER,
               lpad(cast(200000 + m * 40 + cast(floor(u2(i, 'daycare', {year}) * 40) as integer) as varchar), 6, '0')
                   as INSTITUTION_KODE,
               reason as AARSAG,
               case when reason = 'Formodet behov' then
                        case when r_result < 0.55 then 'Generel indsats' when r_result < 0.82 then 'Fokuseret indsats'
                             else 'Særlig indsats' end
                    else case when r_result < 0.85 then 'Generel indsats' when r_result < 0.97 then 'Fokuseret indsats'
                              else 'Særlig indsats' end
               end as RESULTAT
        from assessed where reason is not null order by i""").df()
    files.append(write_extract(language, source("sprogvurdering"), year, out))
    return files


def generate(config: NationalConfig, out_dir: Path, memory_limit: str = "2GB",
             progress=lambda message: None) -> Path:
    """Write every year's files and the area model to ``out_dir`` (replaced as a whole)."""
    work, started = output_folder.start(out_dir)
    con = duckdb.connect(str(work / ".generator.duckdb"), config={"memory_limit": memory_limit})
    try:
        con.execute(f"create macro u(i, what) as hash(i, what, {_q(config.seed)}) / 18446744073709551616.0")
        con.execute(f"create macro u2(i, what, n) as hash(i, what, n, {_q(config.seed)}) / 18446744073709551616.0")
        files = write_area_model(config, work)
        for year in config.years:
            files += write_year(con, config, year, work)
            progress(f"national demo: {year} written ({time.perf_counter() - started:.0f} s)")
    finally:
        con.close()
    (work / ".generator.duckdb").unlink(missing_ok=True)
    return output_folder.finish(work, out_dir, MANIFEST, config.as_dict(), len(files), started)


def is_current(config: NationalConfig, out_dir: Path) -> bool:
    return output_folder.is_current(out_dir, MANIFEST, config.as_dict())
