-- Small-area figures for each plan area, Randers Kommune and the whole country, one row per
-- geography, one column per measure (counts, so that shares can be recomputed). Period:
-- Population on 1 January of the year; education status 1 October the year before; income,
-- charges and convictions for the calendar year before.
-- Staging: raw.dst_boligomraader unpivoted to one row per geography_name x measure
-- (the delivered column name), with the number and, where the cell holds a marker, its meaning.
{%- set measures = [
    'BEFOLKNING',
    'BEF_0_17',
    'BEF_IKKEVESTLIG',
    'BOERN_ENLIG_FORSOERGER',
    'BEF_15_64',
    'BEF_15_64_KUN_GRUNDSKOLE',
    'BEF_18_29',
    'BEF_18_29_UNGDOMSUDD',
    'BEF_30_59',
    'BEF_30_59_KUN_GRUNDSKOLE',
    'BEF_18_64',
    'BEF_18_64_UDEN_TILKNYTNING',
    'BEF_15_29',
    'BEF_15_29_SIGTEDE',
    'BEF_20_24',
    'BEF_20_24_KUN_GRUNDSKOLE',
    'BEF_18_29_BESKAEFTIGEDE',
    'BEF_18_64_BESKAEFTIGEDE',
    'BEF_10_14',
    'BEF_10_14_I_DAGTILBUD',
    'SIGTEDE',
    'BEF_15_PLUS',
    'DOEMTE',
    'GNS_HUSSTANDSINDKOMST',
    'GNS_BRUTTOINDKOMST_15_64',
] %}

{{ stage_published_table('dst_boligomraader', 'dst', measures, {'OMRAADE': 'geography_name'}, decimal_mark=',', thousands='.') }}
