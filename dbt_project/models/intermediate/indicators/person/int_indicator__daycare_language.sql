{{ config(tags=['person_indicator']) }}
-- The HP2017 daycare language criteria (HP2017_SK_SPROG_DAGINSTITUTION, HP2017_SK_NUSSA_SPROG,
-- HP2017_SK_NUSSA_SOCIAL) count children by the institution they attend, not by where they
-- live ("børn i daginstitution i Nordbyen", "børnene i de tre institutioner"), so they are
-- computed in area/int_indicator__institution_groups. No residence-based daycare indicator yet.
{{ empty_person_indicator() }}
