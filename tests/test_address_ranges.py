"""The address → area rule: every printed range, its edges, parity and letters.

The same cases run through the Python mirror (demo/areas.py) and through the SQL macro
area_code_for_address (macros/address_in_range.sql), compiled by dbt and executed by DuckDB
against a warehouse the session fixture builds from the seeds. The expected answers come from
an independent, deliberately naive enumeration of the seed (`_covered`), not from either
implementation.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from demo.areas import SEED_PATH, area_for_address, expand_addresses, load_address_ranges  # noqa: E402

PROJECT = REPO / "dbt_project"
DBT = Path(sys.executable).parent / "dbt"
AREA_CODES = ["GJP", "GLV", "HSV", "ENV", "VGD", "SJK", "CRA"]
AREA_NODES = [
    "plans",
    "areas",
    "plan_areas",
    "housing_organisations",
    "housing_departments",
    "area_address_ranges",
    "int_area__address_ranges",
]
LOOKUP_SQL = (
    "select a.address_id, "
    "{{ area_code_for_address('a.street', 'a.number', 'a.letter') }} as area_code "
    "from addresses as a order by a.address_id"
)

RANGES = load_address_ranges()


# --- independent oracle -------------------------------------------------------------------

def _naive_cover() -> dict[tuple[str, int, str], set[str]]:
    """(street key, number, letter or '*') -> areas, straight from the CSV."""
    cover: dict[tuple[str, int, str], set[str]] = {}
    with SEED_PATH.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            step = 1 if row["parity"] == "all" else 2
            letters = row["letters"].split("|") if row["letters"] else ["*"]
            for n in range(int(row["number_from"]), int(row["number_to"]) + 1, step):
                for letter in letters:
                    cover.setdefault((row["street_name"].lower(), n, letter), set()).add(row["area_code"])
    return cover


NAIVE = _naive_cover()


def _covered(street: str, number: int, letter: str | None = None) -> bool:
    key = street.lower()
    return (key, number, "*") in NAIVE or (letter is not None and (key, number, letter.upper()) in NAIVE)


# --- warehouse fixture ----------------------------------------------------------------------

def _dbt(args: list[str], env: dict[str, str]) -> str:
    proc = subprocess.run(
        [str(DBT), *args], cwd=PROJECT, env=env, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        pytest.fail(f"dbt {' '.join(args[:2])} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-2000:]}")
    return proc.stdout


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory):
    """Seeds + int_area__address_ranges built in a temp DuckDB, and the compiled lookup SQL."""
    if not DBT.exists():
        pytest.skip(f"dbt not found next to {sys.executable}")
    tmp = tmp_path_factory.mktemp("area_model")
    env = {
        **os.environ,
        "BOLIGMONITOR_WAREHOUSE": str(tmp / "area_test.duckdb"),
        # No usage tracking from tests (no network, no .user.yml written into the project).
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    # Own target/log paths so the test does not race a developer's dbt run in the project.
    common = [
        "--profiles-dir", str(PROJECT),
        "--project-dir", str(PROJECT),
        "--target-path", str(tmp / "target"),
        "--log-path", str(tmp / "logs"),
    ]
    # cautious: only tests whose every parent is selected (not e.g. relationships from later models)
    _dbt(["build", *common, "--select", *AREA_NODES, "--indirect-selection", "cautious"], env)
    compiled = _dbt(["--quiet", "compile", *common, "--inline", LOOKUP_SQL], env).strip()
    assert compiled.lower().startswith("select"), compiled
    return Path(env["BOLIGMONITOR_WAREHOUSE"]), compiled


def sql_areas(warehouse, addresses: list[tuple[str, int, str | None]]) -> list[str | None]:
    """Area code per address, computed by the compiled dbt macro in DuckDB."""
    db, compiled = warehouse
    con = duckdb.connect(str(db))
    try:
        con.execute("create temp table addresses (address_id integer, street varchar, number integer, letter varchar)")
        con.executemany(
            "insert into addresses values (?, ?, ?, ?)",
            [(i, s, n, letter) for i, (s, n, letter) in enumerate(addresses)],
        )
        return [area for _, area in con.execute(compiled).fetchall()]
    finally:
        con.close()


def check_both(warehouse, cases: list[tuple[str, int, str | None, str | None]]) -> None:
    """Assert expected area for each (street, number, letter, expected) in Python and SQL."""
    addresses = [(s, n, letter) for s, n, letter, _ in cases]
    expected = [e for *_, e in cases]
    py = [area_for_address(s, n, letter) for s, n, letter in addresses]
    sql = sql_areas(warehouse, addresses)
    bad = [
        f"{a}: expected {e}, python {p}, sql {q}"
        for a, e, p, q in zip(addresses, expected, py, sql)
        if not (e == p == q)
    ]
    assert not bad, "\n".join(bad[:40])


# --- the seed itself ------------------------------------------------------------------------

def test_every_area_has_ranges():
    assert sorted({r.area_code for r in RANGES}) == sorted(AREA_CODES)


def test_no_two_ranges_cover_the_same_address():
    overlaps = {key: areas for key, areas in NAIVE.items() if len(areas) > 1}
    # A lettered address (5A) is also covered by a letter-less range of the same number.
    for (street, n, letter), areas in NAIVE.items():
        if letter != "*" and (street, n, "*") in NAIVE:
            overlaps[(street, n, letter)] = areas | NAIVE[(street, n, "*")]
    assert not overlaps, overlaps
    # Same check on ranges rather than areas: no address is in two ranges at all.
    counts: dict[tuple[str, int, str], int] = {}
    for r in RANGES:
        for n in r.numbers():
            for letter in r.letters or ("*",):
                counts[(r.street_name.lower(), n, letter)] = counts.get((r.street_name.lower(), n, letter), 0) + 1
    assert not {k: c for k, c in counts.items() if c > 1}


def test_int_model_matches_seed(warehouse):
    db, _ = warehouse
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "select range_id, area_code, street_name, street_key, number_from, number_to, parity, letters "
            "from intermediate.int_area__address_ranges order by range_id"
        ).fetchall()
    finally:
        con.close()
    assert [r[0] for r in rows] == [r.range_id for r in RANGES]
    for row, r in zip(rows, RANGES):
        assert row[1:3] == (r.area_code, r.street_name)
        assert row[3] == r.street_name.lower()
        assert row[4:7] == (r.number_from, r.number_to, r.parity)
        assert row[7] == ("|".join(r.letters) if r.letters else None)


# --- every printed range maps to its area ---------------------------------------------------

@pytest.mark.parametrize("r", RANGES, ids=lambda r: f"{r.range_id}-{r.area_code}-{r.street_name}")
def test_printed_range_maps_to_its_area_python(r):
    for n in r.numbers():
        for letter in r.letters or (None, "B", ""):
            assert area_for_address(r.street_name, n, letter) == r.area_code, (r.source_text, n, letter)


def test_printed_ranges_map_to_their_areas_sql(warehouse):
    cases = []
    for r in RANGES:
        for n in r.numbers():
            for letter in r.letters or (None, "B"):
                cases.append((r.street_name, n, letter, r.area_code))
    check_both(warehouse, cases)


def test_expand_addresses_is_exactly_the_printed_ranges():
    for area in AREA_CODES:
        expanded = expand_addresses(area)
        assert len(expanded) == len(set(expanded)), area
        assert all(area_for_address(*a) == area for a in expanded)
        expected = {
            (r.street_name, n, letter)
            for r in RANGES if r.area_code == area
            for n in r.numbers()
            for letter in (r.letters or (None,))
        }
        assert set(expanded) == expected


# --- what must not map -----------------------------------------------------------------------

def test_numbers_just_outside_a_range_do_not_map(warehouse):
    cases = set()
    for r in RANGES:
        step = 1 if r.parity == "all" else 2
        # from-1 / to+1, and for odd/even ranges also the next number of the same parity.
        for n in {r.number_from - 1, r.number_to + 1, r.number_from - step, r.number_to + step}:
            if n >= 1 and not _covered(r.street_name, n):
                cases.add((r.street_name, n, None, None))
    assert len(cases) > 100
    check_both(warehouse, sorted(cases, key=lambda c: (c[0], c[1])))


def test_other_parity_inside_a_range_does_not_map(warehouse):
    cases = []
    for r in RANGES:
        if r.parity == "all":
            continue
        for n in range(r.number_from + 1, r.number_to, 2):
            if not _covered(r.street_name, n):
                cases.append((r.street_name, n, None, None))
                cases.append((r.street_name, n, "A", None))
    assert cases
    check_both(warehouse, cases)


# --- letters ----------------------------------------------------------------------------------

def test_letters_rule(warehouse):
    check_both(warehouse, [
        # "Gl. Hadsundvej 5A, 5b & 5c": only the three lettered addresses, any case.
        ("Gl. Hadsundvej", 5, "A", "CRA"),
        ("Gl. Hadsundvej", 5, "b", "CRA"),
        ("Gl. Hadsundvej", 5, "C", "CRA"),
        ("Gl. Hadsundvej", 5, None, None),
        ("Gl. Hadsundvej", 5, "", None),
        ("Gl. Hadsundvej", 5, "D", None),
        ("Gl. Hadsundvej", 4, "A", None),
        # "Mariagervej 1A, 1b, 1c & 3": 1 only with letters, 3 with or without.
        ("Mariagervej", 1, "A", "CRA"),
        ("Mariagervej", 1, None, None),
        ("Mariagervej", 3, None, "CRA"),
        ("Mariagervej", 3, "A", "CRA"),
        # "Mariagervej 28 - 36 (a&b, lige numre)": even numbers, letters A and B only.
        ("Mariagervej", 28, "A", "CRA"),
        ("Mariagervej", 36, "b", "CRA"),
        ("Mariagervej", 32, None, None),
        ("Mariagervej", 32, "C", None),
        ("Mariagervej", 29, "A", None),
        ("Mariagervej", 38, "A", None),
        # A range without letters covers the number with or without any letter.
        ("Husarvej", 2, None, "GJP"),
        ("Husarvej", 2, "A", "GJP"),
        ("Husarvej", 2, "", "GJP"),
        ("Husarvej", 2, " c ", "GJP"),
    ])


# --- single numbers -----------------------------------------------------------------------------

def test_single_numbers(warehouse):
    check_both(warehouse, [
        ("Flyvervej", 5, None, "GJP"),      # "lige numre 2-26 + 5"
        ("Flyvervej", 3, None, None),
        ("Flyvervej", 7, None, None),
        ("Fabersvej", 40, None, "CRA"),     # "40 + 44"
        ("Fabersvej", 44, None, "CRA"),
        ("Fabersvej", 42, None, None),
        ("Fabersvej", 41, None, None),
        ("Flintebjerg Allé", 11, None, "CRA"),
        ("Flintebjerg Allé", 13, None, "CRA"),
        ("Flintebjerg Allé", 12, None, None),
        ("Asavænget", 21, None, "ENV"),     # "(21,22)"
        ("Asavænget", 22, None, "ENV"),
        ("Asavænget", 20, None, None),
        ("Asavænget", 23, None, None),
        ("Energivej", 22, None, "ENV"),     # "4-18 (lige numre), 22, 38-72"
        ("Energivej", 20, None, None),
        ("Energivej", 24, None, None),
        ("Fenrisvej", 14, None, "ENV"),     # "1-12, 14, 16"
        ("Fenrisvej", 16, None, "ENV"),
        ("Fenrisvej", 13, None, None),
        ("Fenrisvej", 15, None, None),
        ("Stadfeldtsvej", 21, None, "HSV"),  # "1-19, 21, 23, 25-37, ..."
        ("Stadfeldtsvej", 23, None, "HSV"),
        ("Stadfeldtsvej", 20, None, None),
        ("Stadfeldtsvej", 22, None, None),
    ])


# --- the readings documented in docs/area-model.md -------------------------------------------

def test_documented_readings(warehouse):
    check_both(warehouse, [
        # A range printed without parity covers both sides of the street.
        ("Garnisonsvej", 8, None, "GJP"),            # 7-19
        ("Hermann Stillings Vej", 8, None, "HSV"),   # 7-11
        ("Hermann Stillings Vej", 29, None, "HSV"),  # 28-30
        ("Hermann Stillings Vej", 39, None, "HSV"),  # 38-44
        ("Hermann Stillings Vej", 12, None, "CRA"),  # Centrale Randers: 12-22 (lige)
        ("Hermann Stillings Vej", 24, None, None),
        ("Hermann Stillings Vej", 26, None, None),
        ("Stadfeldtsvej", 2, None, "HSV"),           # 1-19
        ("Stadfeldtsvej", 40, None, None),           # 39-45 (ulige)
        ("Energivej", 39, None, "ENV"),              # 38-72
        ("Glarbjergvej", 110, None, "GLV"),          # 109-111
        ("Glarbjergvej", 102, None, None),
        ("Vidarsvej", 3, None, "ENV"),               # 1-16
        ("Vidarsvej", 19, None, None),               # 18-30 (lige)
        ("Vølundsvej", 2, None, "ENV"),              # 1-9
        ("Vølundsvej", 12, None, None),              # 11-15 (ulige)
        ("Ymersvej", 21, None, "ENV"),               # 21-34
        ("Ymersvej", 35, None, None),
        ("Schaldemosevej", 9, None, "CRA"),          # 8-27
        ("Jyllandsgade", 6, None, "SJK"),            # 1-6
        ("Jyllandsgade", 7, None, None),
        ("Sjællandsgade", 22, None, "SJK"),          # 21-24
        ("Sjællandsgade", 25, None, None),
        ("Sjællandsgade", 52, None, "SJK"),          # 51-54
        ("Sjællandsgade", 55, None, None),
        # Same number on different streets with similar names.
        ("Hadsundvej", 5, "A", None),
        ("Gl. Hadsundvej", 85, None, None),
        ("Hadsundvej", 85, None, "GLV"),
        ("Mariagervej", 89, None, "ENV"),
    ])


def test_street_matching_ignores_case_and_outer_spaces(warehouse):
    check_both(warehouse, [
        (" hermann stillings vej ", 46, None, "HSV"),
        ("SJÆLLANDSGADE", 14, None, "SJK"),
        ("Rørhaven", 2, None, "VGD"),
        ("Rerhaven", 2, None, None),  # the OCR spelling is not a street
        ("Nørrebrogade", 96, None, "GLV"),
        ("Ukendt Vej", 1, None, None),
    ])
