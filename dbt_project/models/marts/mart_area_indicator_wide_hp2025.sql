-- Plan 2025-29's indicators wide: a value and status column per area, all areas and Randers.
{{ config(materialized='view') }}
{{ wide_indicator_view('HP2025', ['GJP', 'GLV', 'HSV', 'ENV', 'VGD', 'SJK', 'CRA', 'HP2025_ALL', 'RANDERS', 'RANDERS_EXCL_HP2025']) }}
