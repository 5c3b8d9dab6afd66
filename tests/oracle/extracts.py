"""Read an extract folder with plain pandas, by the contract's file formats, and place people.

Independent of the warehouse: no SQL, no staging models, no demo.areas. The contract
(ingestion.contract) is used only for each file's folder, encoding, delimiter, decimal mark and
date format. The address rule is read from the printed ranges (seeds/area_address_ranges.csv) as
docs/area-model.md words it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from ingestion.contract import source

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
HP2025_AREAS = ("GJP", "GLV", "HSV", "ENV", "VGD", "SJK", "CRA")
HP2017_AREAS = ("GJP", "GLV", "VGD")


class Extracts:
    """The delivered files: ``ex.frames("anbringelser")`` → {year: DataFrame of text}."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._cache: dict[str, dict[int, pd.DataFrame]] = {}

    def frames(self, name: str) -> dict[int, pd.DataFrame]:
        if name not in self._cache:
            src = source(name)
            out = {}
            for path in sorted((self.folder / src.folder).glob(f"{name}_*.csv")):
                year = int(path.stem.rsplit("_", 1)[1])
                df = pd.read_csv(path, sep=src.delimiter, encoding=src.encoding, dtype=str, keep_default_na=False)
                for col in src.columns:
                    text = df[col.name].str.strip()
                    if col.dtype == "date":
                        df[col.name] = pd.to_datetime(text.where(text != ""), format=src.date_format).dt.date
                    elif col.dtype in ("decimal", "int"):
                        if src.thousands:
                            text = text.str.replace(src.thousands, "", regex=False)
                        df[col.name] = pd.to_numeric(text.str.replace(src.decimal, ".", regex=False).where(text != ""))
                    else:
                        df[col.name] = text.where(text != "", None)
                out[year] = df
            self._cache[name] = out
        return self._cache[name]

    def years(self, name: str) -> set[int]:
        return set(self.frames(name))

    def stacked(self, name: str) -> pd.DataFrame:
        frames = self.frames(name)
        return pd.concat([df.assign(file_year=y) for y, df in frames.items()], ignore_index=True)

    def latest_spells(self, name: str, key: list[str]) -> pd.DataFrame:
        """Each spell once, as the latest delivered file states it (a file restates the spells
        still open when it was extracted)."""
        s = self.stacked(name).sort_values("file_year")
        latest = s.drop_duplicates(key, keep="last").copy()
        # The contract: a year's file holds every spell active at some time in that year. A spell
        # still open in its latest file and missing from the next delivered file was therefore
        # not active in that next file's year: it ended before it began (the day is unknown).
        delivered = sorted(self.years(name))
        end_col = [c for c in latest.columns if c not in key and c in ("SLUT", "UDMELDT")]
        if end_col:
            end = end_col[0]
            for i, row in latest[latest[end].isna()].iterrows():
                later = [y for y in delivered if y > row.file_year]
                if later:
                    latest.at[i, end] = date(later[0] - 1, 12, 31)
        return latest


# ---- addresses -------------------------------------------------------------------------------

def _ranges() -> pd.DataFrame:
    r = pd.read_csv(SEEDS / "area_address_ranges.csv", dtype=str, keep_default_na=False)
    r["street_key"] = r.street_name.str.strip().str.lower()
    r["lo"], r["hi"] = r.number_from.astype(int), r.number_to.astype(int)
    return r


def area_of(street: str, number: int, letter: str | None, ranges: pd.DataFrame) -> str | None:
    """'1-29 (ulige)' = odd numbers only; letters listed = only those lettered entrances (the
    bare number is not covered); no letters listed = the number with or without any letter."""
    letter = letter.strip().upper() or None if isinstance(letter, str) else None
    hits = set()
    for r in ranges[ranges.street_key == str(street).strip().lower()].itertuples():
        if not (r.lo <= number <= r.hi):
            continue
        if (r.parity == "odd" and number % 2 == 0) or (r.parity == "even" and number % 2 == 1):
            continue
        if r.letters and (letter is None or letter not in r.letters.upper().split("|")):
            continue
        hits.add(r.area_code)
    if len(hits) > 1:
        raise ValueError("an address in two areas")
    return hits.pop() if hits else None


def residents(ex: Extracts) -> pd.DataFrame:
    """Every person in every 1 January stock with the plan area of the address (None outside)."""
    ranges = _ranges()
    cpr = ex.stacked("cpr_befolkning").rename(columns={"file_year": "year"})
    addr = cpr[["VEJNAVN", "HUSNR", "HUSBOGSTAV"]].drop_duplicates()
    addr["area"] = [area_of(s, int(n), letter, ranges) for s, n, letter in addr.itertuples(index=False)]
    cpr = cpr.merge(addr, on=["VEJNAVN", "HUSNR", "HUSBOGSTAV"], how="left")
    return cpr.rename(columns={"PNR_PSEUDO": "person"})


def geographies_of_area(area: str | None) -> list[str]:
    """The geographies a resident of ``area`` (None: outside the plan areas) counts in."""
    out = ["RANDERS"]
    if area in HP2025_AREAS:
        out += [area, "HP2025_ALL"]
    else:
        out.append("RANDERS_EXCL_HP2025")
    out.append("HP2017_ALL" if area in HP2017_AREAS else "RANDERS_EXCL_HP2017")
    return out


def age_on(birth: pd.Series, d: date) -> pd.Series:
    """Age in whole years on day ``d``."""
    b = pd.to_datetime(birth)
    before_birthday = (b.dt.month > d.month) | ((b.dt.month == d.month) & (b.dt.day > d.day))
    return d.year - b.dt.year - before_birthday.astype(int)
