"""The contract at work: valid extracts load, and bad ones fail with an error that names
file, line and column, before anything reaches the warehouse."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from contract_examples import PATTERN_EXAMPLES, example_frame
from demo.writers import write_extract
from ingestion.contract import SOURCES, Source, source
from ingestion.contract_doc import render
from ingestion.errors import ExtractError
from ingestion.loader import load_source
from ingestion.readers import find_files, read_extract
from orchestration.settings import REPO_ROOT


@pytest.mark.parametrize("src", SOURCES, ids=lambda s: s.name)
def test_every_source_round_trips(tmp_path, src):
    frame = example_frame(src, rows=3)
    path = write_extract(frame, src, 2023, tmp_path)
    assert path.name == f"{src.name}_2023.csv"
    read = read_extract(path, src)
    assert list(read.columns) == src.column_names
    assert len(read) == 3


def test_pattern_examples_cover_the_contract():
    patterns = {c.pattern for s in SOURCES for c in s.columns if c.pattern}
    assert patterns <= set(PATTERN_EXAMPLES)
    for pattern, example in PATTERN_EXAMPLES.items():
        assert re.fullmatch(pattern, example), pattern


def test_contract_document_is_current():
    committed = (REPO_ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8")
    assert committed == render(), "regenerate with: python -m ingestion.contract_doc"


def _error(path, src) -> ExtractError:
    with pytest.raises(ExtractError) as info:
        read_extract(path, src)
    return info.value


def _write(tmp_path, src, mutate=None, year=2023):
    frame = example_frame(src, rows=3, year=year)
    if mutate:
        frame = mutate(frame)
    return write_extract(frame, src, year, tmp_path)


def test_unknown_code_names_line_and_column(tmp_path):
    src = source("sprogvurdering")
    path = _write(tmp_path, src, lambda f: f.assign(RESULTAT=["Generel indsats", "Ukendt", "Særlig indsats"]))
    problems = _error(path, src).problems
    assert [(p.line, p.column, p.value) for p in problems] == [(3, "RESULTAT", "Ukendt")]
    assert "sprogvurdering_2023.csv, line 3, column RESULTAT" in str(problems[0])


def test_impossible_date_and_out_of_range_number(tmp_path):
    src = source("skolefravaer")
    frame = example_frame(src, rows=3)
    frame["KLASSETRIN"] = [0, 14, 3]
    path = write_extract(frame, src, 2023, tmp_path)
    text = path.read_text(encoding="utf-8").replace("2023/24", "2023/2024", 1)
    path.write_text(text, encoding="utf-8")
    problems = {(p.line, p.column) for p in _error(path, src).problems}
    assert (2, "SKOLEAAR") in problems and (3, "KLASSETRIN") in problems


def test_raw_cpr_number_is_rejected_without_echoing_it(tmp_path):
    src = source("cpr_befolkning")
    path = _write(tmp_path, src, lambda f: f.assign(MOR_PNR_PSEUDO=[None, "0512841234", None]))
    err = _error(path, src)
    assert err.problems[0].column == "MOR_PNR_PSEUDO" and err.problems[0].line == 3
    assert "0512841234" not in str(err)


def test_cpr_header_is_rejected(tmp_path):
    src = source("dagtilbud")
    path = _write(tmp_path, src)
    path.write_text(path.read_text(encoding="utf-8").replace("PNR_PSEUDO", "CPR_NR", 1), encoding="utf-8")
    assert any(p.column == "CPR_NR" for p in _error(path, src).problems)


def test_wrong_encoding_names_the_line(tmp_path):
    src = source("sprogvurdering")  # delivered in cp1252
    frame = example_frame(src, rows=3)
    frame["RESULTAT"] = ["Generel indsats", "Generel indsats", "Særlig indsats"]
    path = write_extract(frame, src, 2023, tmp_path)
    path.write_bytes(path.read_text(encoding="cp1252").encode("utf-8"))  # a UTF-8 delivery
    problems = _error(path, src).problems
    assert problems[0].line == 4 and "cp1252" in problems[0].check


def test_wrong_delimiter(tmp_path):
    src = source("jobcenter_ydelser")
    path = _write(tmp_path, src)
    path.write_text(path.read_text(encoding="utf-8").replace(";", "\t"), encoding="utf-8")
    assert "delimiter" in str(_error(path, src))


def test_missing_and_renamed_column(tmp_path):
    src = source("uu_vejledning")
    path = _write(tmp_path, src)
    path.write_text(path.read_text(encoding="utf-8").replace("STATUSDATO", "STATUS_DATO", 1), encoding="utf-8")
    columns = {p.column for p in _error(path, src).problems}
    assert columns == {"STATUSDATO", "STATUS_DATO"}


def test_duplicate_key(tmp_path):
    src = source("cpr_befolkning")
    path = _write(tmp_path, src, lambda f: f.assign(PNR_PSEUDO=["00000000000000aa"] * 3))
    problems = _error(path, src).problems
    assert {p.line for p in problems} == {2, 3, 4}
    assert all("duplicate" in p.check for p in problems)


def test_truncated_file(tmp_path):
    src = source("cpr_befolkning")
    path = _write(tmp_path, src)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.rindex(";")], encoding="utf-8")  # the last row is cut off
    problems = _error(path, src).problems
    assert problems[0].line == 4 and "truncated" in problems[0].check


def test_empty_year(tmp_path):
    src = source("anbringelser")
    path = _write(tmp_path, src)
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert "no rows" in str(_error(path, src))


def test_suppression_marker_only_where_the_contract_allows_it(tmp_path):
    dst = source("dst_boligomraader")
    ok = _write(tmp_path, dst, lambda f: f.assign(DOEMTE=["..", "-", 12]))
    assert read_extract(ok, dst)["DOEMTE"].tolist() == ["..", "-", "12"]
    src = source("skolefravaer")
    bad = _write(tmp_path, src, lambda f: f.assign(FRAVAER_SYGDOM=[1.5, "..", 2]))
    assert [(p.line, p.column) for p in _error(bad, src).problems] == [(3, "FRAVAER_SYGDOM")]


def test_a_year_delivered_twice_is_an_error(tmp_path):
    src = source("dagtilbud")
    path = _write(tmp_path, src)
    (path.parent / "dagtilbud_2023 (1).csv").write_bytes(path.read_bytes())
    with pytest.raises(ExtractError, match="second delivery"):
        find_files(tmp_path, src)


def test_a_symlinked_extract_is_not_followed(tmp_path):
    src = source("dagtilbud")
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    (tmp_path / src.folder).mkdir()
    (tmp_path / src.folder / "dagtilbud_2023.csv").symlink_to(secret)
    with pytest.raises(ExtractError, match="symbolic link") as info:
        find_files(tmp_path, src)
    assert "root" not in str(info.value)


def test_load_replaces_atomically_and_keeps_lineage(tmp_path):
    src = source("sprogvurdering")
    for year in (2022, 2023):
        _write(tmp_path, src, year=year)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    assert load_source(con, src, find_files(tmp_path, src)) == 6
    assert load_source(con, src, find_files(tmp_path, src)) == 6  # a rerun gives the same table
    rows = con.execute("SELECT _extract_year, _source_file, _source_row FROM raw.sprogvurdering ORDER BY 1, 3").fetchall()
    assert rows[0] == (2022, "sprogvurdering_2022.csv", 1) and len(rows) == 6

    class FailingInsert:
        """A connection whose INSERT fails, as a full disk or a crash mid-load would."""

        def __getattr__(self, name):
            return getattr(con, name)

        def execute(self, sql, *args):
            if sql.startswith("INSERT"):
                raise duckdb.IOException("disk full")
            return con.execute(sql, *args)

    with pytest.raises(duckdb.IOException):
        load_source(FailingInsert(), src, find_files(tmp_path, src))
    assert con.execute("SELECT count(*) FROM raw.sprogvurdering").fetchone()[0] == 6
    # a bad file among good ones: every problem reported, the previous table kept
    bad = tmp_path / src.folder / "sprogvurdering_2023.csv"
    bad.write_text(bad.read_text(encoding="cp1252").replace("Generel indsats", "Ukendt"), encoding="cp1252")
    with pytest.raises(ExtractError, match="sprogvurdering_2023.csv, line 2, column RESULTAT"):
        load_source(con, src, find_files(tmp_path, src))
    assert con.execute("SELECT count(DISTINCT _extract_year), count(*) FROM raw.sprogvurdering").fetchone() == (2, 6)


# ---------------------------------------------------------------------------------------------
# The bad-extract suite: every kind of bad delivery the monitoring unit has met or expects, each
# ending in an error naming file, line and column, or in quarantined rows that are counted.
# docs/data-quality.md lists the same cases.

@dataclass(frozen=True)
class BadExtract:
    id: str
    source: str
    build: Callable[[Source, Path], Path]
    line: int | None
    column: str | None
    says: str
    outcome: str = "error"  # "error" from read_extract, "find" from find_files, "quarantine" from the loader


def rows(**changes):
    """Three valid rows with the given columns changed: a list sets every row, a value row 2 (line 3)."""
    def build(src, tmp_path):
        frame = example_frame(src, rows=3)
        for column, value in changes.items():
            if isinstance(value, list):
                frame[column] = value
            else:
                frame[column] = frame[column].astype(object)
                frame.loc[1, column] = value
        return write_extract(frame, src, 2023, tmp_path)
    return build


def edited(edit, **changes):
    """Valid rows (optionally changed), then the file's text or bytes edited."""
    def build(src, tmp_path):
        path = rows(**changes)(src, tmp_path)
        if edit.__code__.co_varnames[:1] == ("data",):
            path.write_bytes(edit(path.read_bytes()))
        else:
            path.write_text(edit(path.read_text(encoding=src.encoding)), encoding=src.encoding)
        return path
    return build


def _drop_column(text, index, sep=";"):
    return "\n".join(sep.join(f for i, f in enumerate(line.split(sep)) if i != index) for line in text.split("\n"))


def _header_again_on_line_3(text):
    lines = text.split("\n")
    return "\n".join([*lines[:2], lines[0], *lines[2:]])


def _on_line_3(old, new):
    def edit(text):
        lines = text.split("\n")
        lines[2] = lines[2].replace(old, new, 1)
        return "\n".join(lines)
    return edit


def _second_delivery(src, tmp_path):
    path = rows()(src, tmp_path)
    (path.parent / f"{src.name}_2023 (1).csv").write_bytes(path.read_bytes())
    return path


def _misnamed(src, tmp_path):
    path = rows()(src, tmp_path)
    path.rename(path.parent / f"{src.name}_2023_rettet.csv")
    return path


def _add_column(text):
    lines = text.rstrip("\n").split("\n")
    return "\n".join([lines[0] + ";EKSTRA", *(line + ";x" for line in lines[1:])]) + "\n"


def _extra_field_on_line_3(text):
    lines = text.split("\n")
    lines[2] += ";overskydende"
    return "\n".join(lines)


def _swap_first_columns(text, sep=";"):
    lines = text.split("\n")
    return "\n".join(sep.join([f[1], f[0], *f[2:]]) if len(f := line.split(sep)) > 1 else line for line in lines)


def _utf8_on_line_3(data):
    lines = data.split(b"\n")
    lines[2] = lines[2].replace("Blåbærvej".encode("cp1252"), "Blåbærvej".encode())
    return b"\n".join(lines)


def _blank_line_after_line_2(text):
    lines = text.split("\n")
    return "\n".join([*lines[:2], "", *lines[2:]])


def _with_lease_file(**changes):
    """An event file of RandersBolig with the organisation's lease file (department 1) beside it."""
    def build(src, tmp_path):
        leases = source("randersbolig_lejemaal")
        write_extract(example_frame(leases, rows=3), leases, 2023, tmp_path)
        return rows(**changes)(src, tmp_path)
    return build


BAD_EXTRACTS = [
    BadExtract("utf8_file_in_cp1252_source", "sprogvurdering",
               edited(lambda data: data.decode("cp1252").encode("utf-8"),
                      RESULTAT=["Generel indsats", "Generel indsats", "Særlig indsats"]), 4, None, "cp1252"),
    BadExtract("cp1252_file_in_utf8_source", "dagtilbud",
               edited(lambda data: data.decode("utf-8").encode("cp1252"),
                      TILBUDSTYPE=["Dagpleje", "Børnehave", "Dagpleje"]), 3, None, "not valid utf-8"),
    BadExtract("tab_delimited", "jobcenter_ydelser", edited(lambda t: t.replace(";", "\t")), 1, None, "delimiter"),
    BadExtract("comma_delimited", "cpr_befolkning", edited(lambda t: t.replace(";", ",")), 1, None, "delimiter"),
    BadExtract("semicolons_in_comma_source", "lejerbo_klager", edited(lambda t: t.replace(",", ";")), 1, None,
               "delimiter"),
    BadExtract("missing_column", "uu_vejledning", edited(lambda t: _drop_column(t, 4)), 1, "STATUS", "missing"),
    BadExtract("renamed_column", "uu_vejledning", edited(lambda t: t.replace("STATUSDATO", "STATUS_DATO", 1)), 1,
               "STATUSDATO", "missing"),
    BadExtract("column_not_in_contract", "anbringelser", edited(_add_column), 1, "EKSTRA", "not in the contract"),
    BadExtract("two_files_concatenated", "uu_vejledning", edited(_header_again_on_line_3), 3, "PNR_PSEUDO", "pattern"),
    BadExtract("empty_file", "anbringelser", edited(lambda data: b""), 1, None, "empty"),
    BadExtract("header_only_empty_year", "anbringelser", edited(lambda t: t.split("\n")[0] + "\n"), 2, None, "no rows"),
    BadExtract("truncated_file", "cpr_befolkning", edited(lambda t: t[: t.rindex(";")]), 4, None, "truncated"),
    BadExtract("row_with_an_extra_field", "anbringelser", edited(_extra_field_on_line_3), 3, None, "fields"),
    BadExtract("unknown_code", "sprogvurdering", rows(RESULTAT="Ukendt"), 3, "RESULTAT", "allowed codes"),
    BadExtract("unknown_housing_organisation", "randersbolig_klager", rows(SELSKAB_NR="99"), 3, "SELSKAB_NR",
               "allowed codes"),
    BadExtract("department_number_out_of_range", "randersbolig_lejemaal", rows(AFDELING_NR=0), 3, "AFDELING_NR",
               "minimum"),
    BadExtract("malformed_department_number", "lejerbo_lejemaal", rows(Afdelingsnr="12"), 3, "Afdelingsnr", "pattern"),
    BadExtract("unknown_area", "dst_boligomraader", rows(OMRAADE="Nordbyen Øst"), 3, "OMRAADE", "unknown area"),
    BadExtract("unknown_area_in_lbf_table", "lbf_boligsociale_data", rows(BOLIGOMRAADE="Helhedsplan i alt"), 3,
               "BOLIGOMRAADE", "unknown area"),
    BadExtract("unknown_school_code", "skolefravaer", rows(SKOLE_KODE="999999"), 3, "SKOLE_KODE",
               "unknown institution", "quarantine"),
    BadExtract("unknown_institution_code", "sprogvurdering", rows(INSTITUTION_KODE="999999"), 3, "INSTITUTION_KODE",
               "unknown institution", "quarantine"),
    BadExtract("duplicate_person", "cpr_befolkning", rows(PNR_PSEUDO=["00000000000000aa"] * 3), 2, "PNR_PSEUDO",
               "duplicate"),
    BadExtract("duplicate_person_subject_discipline", "afgangsproever", rows(PNR_PSEUDO=["00000000000000aa"] * 3), 2,
               "PNR_PSEUDO", "duplicate"),
    BadExtract("impossible_age", "sprogvurdering", rows(ALDER=12), 3, "ALDER", "maximum"),
    BadExtract("impossible_date", "anbringelser", edited(_on_line_3("2023-03-01", "2023-02-30")), 3, "START", "not a date"),
    BadExtract("date_in_another_format", "dagtilbud", edited(_on_line_3("2023-03-01", "01-03-2023")), 3, "INDMELDT", "not a date"),
    BadExtract("birth_after_the_file_year", "cpr_befolkning", rows(FOEDSELSDATO="2031-01-01"), 3, "FOEDSELSDATO",
               "impossible birth date"),
    BadExtract("birth_before_1890", "cpr_befolkning", rows(FOEDSELSDATO="1789-07-14"), 3, "FOEDSELSDATO",
               "impossible birth date"),
    BadExtract("ends_before_it_starts", "anbringelser", rows(START="2023-05-01", SLUT="2023-04-01"), 3, "SLUT",
               "ends before it starts"),
    BadExtract("absence_above_school_days", "skolefravaer",
               rows(SKOLEDAGE=200, FRAVAER_SYGDOM=150.0, FRAVAER_LOVLIGT=40.0, FRAVAER_ULOVLIGT=20.5), 3,
               "FRAVAER_SYGDOM", "above the school days"),
    BadExtract("cpr_number_in_a_column", "cpr_befolkning", rows(MOR_PNR_PSEUDO="0512841234"), 3, "MOR_PNR_PSEUDO",
               "CPR"),
    BadExtract("cpr_number_header", "dagtilbud", edited(lambda t: t.replace("PNR_PSEUDO", "CPR_NR", 1)), 1, "CPR_NR",
               "CPR"),
    BadExtract("year_delivered_twice", "dagtilbud", _second_delivery, None, None, "second delivery", "find"),
    BadExtract("file_name_off_pattern", "dagtilbud", _misnamed, None, None, "pattern", "find"),
    BadExtract("suppression_marker_where_numbers_belong", "skolefravaer", rows(FRAVAER_SYGDOM=".."), 3,
               "FRAVAER_SYGDOM", "not a number"),
    BadExtract("negative_number", "skolefravaer", rows(FRAVAER_LOVLIGT=-1.0), 3, "FRAVAER_LOVLIGT", "minimum"),
    BadExtract("decimal_point_instead_of_comma", "skolefravaer", rows(FRAVAER_SYGDOM="1.5"), 3, "FRAVAER_SYGDOM",
               "not a number"),
    BadExtract("required_value_missing", "cpr_befolkning", rows(KOEN=None), 3, "KOEN", "required"),
    BadExtract("malformed_person_key", "cpr_befolkning", rows(PNR_PSEUDO="XYZ"), 3, "PNR_PSEUDO", "pattern"),
    BadExtract("malformed_school_year", "skolefravaer", rows(SKOLEAAR="2023/2024"), 3, "SKOLEAAR", "pattern"),
    BadExtract("month_out_of_range", "jobcenter_ydelser", rows(MAANED="2023-13"), 3, "MAANED", "month"),
    BadExtract("share_above_one", "jobcenter_ydelser", rows(FULDTIDSANDEL=1.5), 3, "FULDTIDSANDEL", "maximum"),
    # issue 13: plausibility
    BadExtract("dst_count_with_a_comma_as_thousands_separator", "dst_boligomraader", rows(BEFOLKNING="1,270"), 3,
               "BEFOLKNING", "not a whole number"),
    BadExtract("huge_dst_value", "dst_boligomraader", rows(BEF_15_PLUS="12.345.678.901"), 3, "BEF_15_PLUS", "maximum"),
    BadExtract("part_above_its_whole", "dst_boligomraader", rows(BEF_IKKEVESTLIG=44015), 3, "BEF_IKKEVESTLIG",
               "cannot exceed its whole"),
    BadExtract("share_above_100_percent", "lbf_boligsociale_data", rows(ANDEL_15_29_SIGTEDE=440.5), 3,
               "ANDEL_15_29_SIGTEDE", "maximum"),
    BadExtract("utf8_text_inside_a_cp1252_file", "randersbolig_lejemaal",
               edited(_utf8_on_line_3, VEJNAVN=["Søndergade", "Blåbærvej", "Søndergade"]), 3, None, "UTF-8 text inside"),
    BadExtract("months_of_another_year", "jobcenter_ydelser", rows(MAANED="2022-11"), 3, "MAANED", "outside 2023"),
    BadExtract("school_year_of_another_year", "skolefravaer", rows(SKOLEAAR="2022/23"), 3, "SKOLEAAR",
               "school year other than 2023/24"),
    BadExtract("event_date_of_another_year", "randersbolig_flytninger", rows(DATO="2022-12-31"), 3, "DATO",
               "outside 2023"),
    BadExtract("event_date_in_the_future", "sprogvurdering", rows(VURDERINGSDATO="2099-05-01"), 3, "VURDERINGSDATO",
               "after today"),
    BadExtract("spell_ended_before_the_year", "anbringelser", rows(START=["2020-01-01"] * 3, SLUT=["2021-06-30"] * 3), 2, "SLUT",
               "ended before 2023"),
    BadExtract("spell_starting_after_the_year", "dagtilbud", rows(INDMELDT="2024-08-01"), 3, "INDMELDT",
               "starts after 2023"),
    BadExtract("unknown_activity_code", "indsatsdeltagelse", rows(AKTIVITET="UKENDT_AKTIVITET"), 3, "AKTIVITET",
               "unknown activity code", "quarantine"),
    BadExtract("unknown_housing_department", "randersbolig_klager", _with_lease_file(AFDELING_NR=7), 3, "AFDELING_NR",
               "unknown housing department", "quarantine"),
    # issue 13: error messages
    BadExtract("columns_in_another_order", "anbringelser", edited(_swap_first_columns), 1, None, "another order"),
    BadExtract("cr_only_line_endings", "cpr_befolkning", edited(lambda data: data.replace(b"\n", b"\r")), None, None,
               "line endings"),
    BadExtract("line_after_a_quoted_line_break", "cpr_befolkning",
               rows(VEJNAVN=["Vej\nto", "Vej", "Vej"], KOEN=["M", "X", "M"]), 4, "KOEN", "allowed codes"),
    BadExtract("line_after_a_blank_line", "cpr_befolkning", edited(_blank_line_after_line_2, KOEN="X"), 4, "KOEN",
               "allowed codes"),
    BadExtract("cpr_number_with_a_space", "cpr_befolkning", rows(VEJNAVN="051284 1234"), 3, "VEJNAVN", "CPR"),
    BadExtract("cpr_number_padded", "cpr_befolkning", rows(DOER=" 0512841234 "), 3, "DOER", "CPR"),
    BadExtract("cpr_number_inside_free_text", "cpr_befolkning", rows(ETAGE="ring til 051284-1234"), 3, "ETAGE", "CPR"),
    BadExtract("file_without_its_header", "cpr_befolkning", edited(lambda t: t.split("\n", 1)[1]), 1, None,
               "does not look like a column name"),
]


def test_no_error_echoes_a_cpr_number_or_a_person_value(tmp_path):
    """Every path that reports a person-level value: a CPR number with a space in the person-key
    column (a pattern failure), in free text, a file without header, a CR-only file."""
    src = source("cpr_befolkning")
    secrets = ["051284 1234", "0512841234", "0000000000000001", "2023-03-01"]
    builds = [rows(PNR_PSEUDO="051284 1234"), rows(VEJNAVN="bor hos 0512841234"),
              edited(lambda t: t.split("\n", 1)[1]), edited(lambda data: data.replace(b"\n", b"\r")),
              rows(FOEDSELSDATO="1789-07-14"), rows(START="2023-05-01", SLUT="2023-04-01")]
    for number, build in enumerate(builds):
        folder = tmp_path / str(number)
        target = source("anbringelser") if number == 5 else src
        message = str(_error(build(target, folder), target))
        assert not any(secret in message for secret in secrets + ["1789-07-14", "2023-04-01"]), message


def test_the_bad_extract_suite_has_at_least_30_kinds():
    assert len({case.id for case in BAD_EXTRACTS}) == len(BAD_EXTRACTS) >= 30


@pytest.mark.parametrize("case", BAD_EXTRACTS, ids=lambda c: c.id)
def test_bad_extract(tmp_path, case):
    src = source(case.source)
    path = case.build(src, tmp_path)
    if case.outcome == "find":
        with pytest.raises(ExtractError, match=case.says):
            find_files(tmp_path, src)
        return
    if case.outcome == "quarantine":
        con = duckdb.connect(str(tmp_path / "w.duckdb"))
        if src.name.startswith("randersbolig_"):  # the lease file beside it loads too
            load_source(con, source("randersbolig_lejemaal"), find_files(tmp_path, source("randersbolig_lejemaal")))
        assert load_source(con, src, find_files(tmp_path, src)) == 2  # the good rows are loaded
        held = con.execute(f"SELECT _source_file, _source_row, _quarantine_column, _quarantine_reason "
                           f"FROM raw.{src.name}__quarantine").fetchall()
        assert held == [(path.name, case.line - 1, case.column, held[0][3])] and case.says in held[0][3]
        return
    problems = _error(path, src).problems
    hit = [p for p in problems if p.line == case.line and p.column == case.column]
    assert hit, [str(p) for p in problems]
    assert any(case.says.lower() in p.check.lower() for p in hit), [str(p) for p in hit]
    assert path.name in str(hit[0])
