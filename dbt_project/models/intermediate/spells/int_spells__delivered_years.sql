-- The years each spell source was delivered for. Only these years can be counted from spells:
-- a year without its file misses the spells that began and ended in it (and is a gap, not 0).
select 'anbringelser' as spell_source, extract_year as year
from {{ ref('stg_kommune__anbringelser') }} group by extract_year
union all
select 'dagtilbud', extract_year from {{ ref('stg_kommune__dagtilbud') }} group by extract_year
union all
select 'indsatsdeltagelse', extract_year from {{ ref('stg_kommune__indsatsdeltagelse') }} group by extract_year
