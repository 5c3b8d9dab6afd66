"""Report years as Dagster partitions: the published files of each year stay in their own
folder (exports/<year>, exports/pointer.py), so the UI shows per year whether it is published."""

import dagster as dg

# from plan 2017-21 to a year past plan 2025-29
REPORT_YEARS = [str(year) for year in range(2017, 2031)]

REPORT_YEAR_PARTITIONS = dg.StaticPartitionsDefinition(REPORT_YEARS)
