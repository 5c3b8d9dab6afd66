-- LBF's fixed strategic indicators per plan area and for the municipality. Small departments
-- are left out; AFDELINGER_MEDREGNET lists the departments included. Period: The year the
-- figure refers to (see each measure's definition in the catalogue).
-- Staging: raw.lbf_boligsociale_data unpivoted to one row per geography_name x measure
-- (the delivered column name), with the number and, where the cell holds a marker, its meaning.
{%- set measures = [
    'ANDEL_1_5_I_DAGTILBUD',
    'KARAKTERGNS_DANSK_MATEMATIK',
    'ANDEL_18_29_KUN_GRUNDSKOLE',
    'ANDEL_15_29_RESTGRUPPE',
    'ANDEL_18_64_UDEN_TILKNYTNING',
    'ANDEL_15_29_SIGTEDE',
    'BEF_10_17',
    'BEF_10_17_SIGTEDE',
    'FRAFLYTNINGSPROCENT',
] %}

{{ stage_published_table('lbf_boligsociale_data', 'lbf', measures, {'BOLIGOMRAADE': 'geography_name', 'AFDELINGER_MEDREGNET': 'departments_included'}, decimal_mark=',') }}
