"""A national-size demo: about 6 million residents, 1,000 housing areas in 100 municipalities,
10 years, written in the extract formats of ingestion/contract.py by streaming each yearly
file out of DuckDB (nothing holds the population in memory).

Only the sources the bench's indicator subset reads are written (cpr_befolkning,
skolefravaer, sprogvurdering, jobcenter_ydelser), plus the area model as seed files
(area_address_ranges, plan_areas, geographies) in ``<out>/area_model/``. It is a load test,
not a calibrated municipality: see docs/performance.md for what it represents."""
