-- Daycare enrolment spells once each, as the latest delivery holding them knows them
-- (macros/latest_spells.sql). The institution's registered primary challenge can change from one
-- yearly file to the next: every file's registration is kept in `yearly`.
{{ latest_spell_view('stg_kommune__dagtilbud', ['person_key', 'enrolment_date'],
                     yearly_columns=['primary_challenge']) }}
