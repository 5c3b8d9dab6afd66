"""National reference figures (nationale_referencer): published national values, not simulated.

The figures the plans cite are written as published (seed 003: landsgennemsnit 7,1 % elevfravær
2023/24; domain notes: 21,6 % of pupils above 10 % absence 2023/24, about 7 % and 20 % in 2022/23);
the other years are plausible values on the same trend."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from demo.model import Population
from demo.writers import write_extract
from ingestion.contract import source

# school year starting in the year -> (fraværsprocent, andel elever over 10 % fravær)
ABSENCE = {
    2011: (5.3, 13.9), 2012: (5.3, 14.0), 2013: (5.4, 14.3), 2014: (5.4, 14.4), 2015: (5.5, 14.8),
    2016: (5.6, 15.1), 2017: (5.7, 15.6), 2018: (5.8, 16.1), 2019: (5.9, 16.5), 2020: (6.3, 17.9),
    2021: (6.9, 19.6), 2022: (7.0, 20.0), 2023: (7.1, 21.6), 2024: (7.0, 21.2),
}
PUBLISHER = "Børne- og Undervisningsministeriet, elevfravær i folkeskolen"


def write_reference_extracts(pop: Population, out_dir: Path) -> list[Path]:
    contract = source("nationale_referencer")
    paths = []
    for year in pop.config.years:
        if year not in ABSENCE:
            continue
        absence, above_10 = ABSENCE[year]
        period = f"{year}/{(year + 1) % 100:02d}"
        frame = pd.DataFrame({
            "MAAL": ["FRAVAERSPROCENT", "ANDEL_ELEVER_OVER_10PCT_FRAVAER"],
            "BESKRIVELSE": ["Fraværsprocent, folkeskolen, hele landet",
                            "Andel elever med over 10 % fravær, folkeskolen, hele landet"],
            "PERIODE": [period, period],
            "VAERDI": [absence, above_10],
            "KILDE": [PUBLISHER, PUBLISHER],
        })
        paths.append(write_extract(frame, contract, year, out_dir))
    return paths
