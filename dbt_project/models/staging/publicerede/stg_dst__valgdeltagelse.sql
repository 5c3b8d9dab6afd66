-- Turnout at the election held in the year. Period: The election held in the year (only
-- election years are delivered).
-- Staging: raw.dst_valgdeltagelse unpivoted to one row per geography_name x election x measure
-- (the delivered column name), with the number and, where the cell holds a marker, its meaning.
{%- set measures = [
    'STEMMEBERETTIGEDE',
    'AFGIVNE_STEMMER',
] %}

{{ stage_published_table('dst_valgdeltagelse', 'dst', measures, {'OMRAADE': 'geography_name', 'VALG': 'election'}, decimal_mark=',', thousands='.') }}
