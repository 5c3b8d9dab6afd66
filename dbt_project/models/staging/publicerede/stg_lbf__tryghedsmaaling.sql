-- Survey results; only Gl. Jennumparken, Glarbjergvej-området and Hermann Stillingsvej-området
-- are covered in Randers, plus LBF's reference groups. Period: The survey round held in the
-- year.
-- Staging: raw.lbf_tryghedsmaaling unpivoted to one row per geography_name x measure
-- (the delivered column name), with the number and, where the cell holds a marker, its meaning.
{%- set measures = [
    'ANTAL_INTERVIEWS',
    'ANDEL_TRYGGE',
    'ANDEL_FRIVILLIGE',
    'ANDEL_SAVNER_SELSKAB',
] %}

{{ stage_published_table('lbf_tryghedsmaaling', 'lbf', measures, {'OMRAADE': 'geography_name'}, decimal_mark=',') }}
