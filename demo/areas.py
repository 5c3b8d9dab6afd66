"""Python mirror of the area model's address rule (macros/address_in_range.sql).

The plan prints, per area, street address ranges such as "Garnisonsvej 1-3 (ulige numre), 7-19"
or "Gl. Hadsundvej 5A, 5b & 5c". They are transcribed once, in the dbt seed
dbt_project/seeds/area_address_ranges.csv; this module reads that file so that the synthetic
data generator can enumerate the addresses of an area, and so that the tests can compare the
Python reading with the SQL macro. Keep the two in step: a range covers an address when

* number_from <= number <= number_to,
* parity is 'all', or the number is odd/even as the range says, and
* letters is empty (the number with or without any letter), or the upper-cased letter is one
  of the pipe-separated letters ("A|B|C" covers 5A, 5B, 5C but not the bare 5).

Streets are compared case- and edge-whitespace-insensitively, like street_key in SQL.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from demo.model import SEEDS

SEED_PATH = SEEDS / "area_address_ranges.csv"

PARITIES = ("all", "odd", "even")


@dataclass(frozen=True)
class AddressRange:
    range_id: int
    area_code: str
    street_name: str
    number_from: int
    number_to: int
    parity: str
    letters: tuple[str, ...]  # empty tuple = any letter or none
    source_text: str

    def numbers(self) -> list[int]:
        """The house numbers the range covers, in order."""
        return [n for n in range(self.number_from, self.number_to + 1) if _parity_ok(n, self.parity)]

    def covers(self, street: str, number: int, letter: str | None) -> bool:
        if _street_key(street) != _street_key(self.street_name):
            return False
        if not (self.number_from <= number <= self.number_to and _parity_ok(number, self.parity)):
            return False
        if not self.letters:
            return True
        return _letter_key(letter) in self.letters


def _street_key(street: str) -> str:
    return street.strip().lower()


def _letter_key(letter: str | None) -> str | None:
    """NULL and '' both mean "no letter"; letters compare upper-cased, as in the SQL macro."""
    if letter is None:
        return None
    letter = letter.strip().upper()
    return letter or None


def _parity_ok(number: int, parity: str) -> bool:
    if parity == "all":
        return True
    if parity == "odd":
        return number % 2 == 1
    if parity == "even":
        return number % 2 == 0
    raise ValueError(f"unknown parity {parity!r}")


@cache
def _load(path: Path) -> tuple[AddressRange, ...]:
    ranges = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["parity"] not in PARITIES:
                raise ValueError(f"range {row['range_id']}: unknown parity {row['parity']!r}")
            letters = row["letters"].strip()
            ranges.append(
                AddressRange(
                    range_id=int(row["range_id"]),
                    area_code=row["area_code"],
                    street_name=row["street_name"],
                    number_from=int(row["number_from"]),
                    number_to=int(row["number_to"]),
                    parity=row["parity"],
                    letters=tuple(letters.upper().split("|")) if letters else (),
                    source_text=row["source_text"],
                )
            )
    return tuple(ranges)


def load_address_ranges(path: Path | str | None = None) -> list[AddressRange]:
    """All ranges of the seed, in range_id order."""
    return sorted(_load(Path(path) if path else SEED_PATH), key=lambda r: r.range_id)


def expand_addresses(area_code: str, path: Path | str | None = None) -> list[tuple[str, int, str | None]]:
    """Every (street, number, letter) the area's ranges cover.

    A range without letters yields the bare number (letter None); lettered variants of such a
    number are covered too but cannot be enumerated. A range with letters yields one address per
    letter and not the bare number.
    """
    addresses: list[tuple[str, int, str | None]] = []
    for r in load_address_ranges(path):
        if r.area_code != area_code:
            continue
        for n in r.numbers():
            if r.letters:
                addresses.extend((r.street_name, n, letter) for letter in r.letters)
            else:
                addresses.append((r.street_name, n, None))
    return addresses


def area_for_address(street: str, number: int, letter: str | None = None, path: Path | str | None = None) -> str | None:
    """The area code whose ranges cover the address, or None.

    Raises ValueError if ranges of two areas cover it: the ranges are meant not to overlap, and
    the SQL lookup fails in the same case rather than choosing one.
    """
    areas = {r.area_code for r in load_address_ranges(path) if r.covers(street, int(number), letter)}
    if len(areas) > 1:
        raise ValueError(f"{street} {number}{letter or ''} is covered by several areas: {sorted(areas)}")
    return areas.pop() if areas else None
