"""The national area model as seed files, in the columns of dbt_project/seeds/.

Area ``A0001`` (municipality K001) is every address on its own street ``Områdevej A0001``,
printed as two ranges (odd 1-199, even 2-198) the way the plans print them. Each
municipality's areas form one plan (``K001``) with a plan-total geography (``K001_ALL``).
The model's municipality geography is hard-coded ``RANDERS``; nationally it is everyone."""

from __future__ import annotations

import csv
from pathlib import Path

from demo.national.config import NationalConfig

AREA_MODEL_DIR = "area_model"


def area_code(area: int) -> str:
    return f"A{area + 1:04d}"


def plan_code(municipality: int) -> str:
    return f"K{municipality + 1:03d}"


def _write(path: Path, header: list[str], rows: list[list]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_area_model(c: NationalConfig, out: Path) -> list[Path]:
    folder = out / AREA_MODEL_DIR
    ranges, plan_areas, geographies = [], [], []
    for area in range(c.areas):
        m = area // c.areas_per_municipality
        code, street = area_code(area), f"Områdevej {area_code(area)}"
        ranges.append([len(ranges) + 1, code, street, 1, 199, "odd", "", f"{street} (ulige numre 1-199)"])
        ranges.append([len(ranges) + 1, code, street, 2, 198, "even", "", f"{street} (lige numre 2-198)"])
        plan_areas.append([plan_code(m), code, f"Boligområde {code}"])
        geographies.append([code, f"Boligområde {code}", "area", "", code, area + 1])
    for m in range(c.municipalities):
        geographies.append([f"{plan_code(m)}_ALL", f"Alle boligområder i kommune {plan_code(m)}", "plan_total",
                            plan_code(m), "", 10_000 + m])
    geographies.append(["RANDERS", "Alle kommuner (modellens kommunegeografi)", "municipality", "", "", 20_000])
    return [
        _write(folder / "area_address_ranges.csv",
               ["range_id", "area_code", "street_name", "number_from", "number_to", "parity", "letters", "source_text"],
               ranges),
        _write(folder / "plan_areas.csv", ["plan_code", "area_code", "area_name_in_plan"], plan_areas),
        _write(folder / "geographies.csv",
               ["geography_code", "geography_name", "geography_type", "plan_code", "area_code", "sort_order"],
               geographies),
    ]
