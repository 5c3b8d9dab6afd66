-- Placements outside the home once each, as the latest delivery holding them knows them
-- (macros/latest_spells.sql): a placement restated open in several yearly files counts once.
{{ latest_spell_view('stg_kommune__anbringelser', ['person_key', 'start_date']) }}
