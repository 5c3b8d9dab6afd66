-- Plan 2017-21's indicators wide: a value and status column per area, Randers Nordby and Randers.
{{ config(materialized='view') }}
{{ wide_indicator_view('HP2017', ['GJP', 'GLV', 'VGD', 'HP2017_ALL', 'RANDERS', 'RANDERS_EXCL_HP2017', 'HP2017_NUSSA', 'HP2017_FRAVAER_SKOLER']) }}
