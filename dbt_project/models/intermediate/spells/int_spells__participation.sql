-- Participation spells once each, as the latest delivery holding them knows them
-- (macros/latest_spells.sql): that delivery knows the end date and the completion.
{{ latest_spell_view('stg_kommune__indsatsdeltagelse', ['person_key', 'activity_code', 'start_date'],
                     delivered_flags={'end_delivered': 'end_date', 'completion_delivered': 'is_completed'}) }}
