-- Each resident, each year, in every geography they count towards (int_area__geographies: their
-- plan area, the plan totals that area belongs to, Randers Kommune, and Randers Kommune without
-- the areas of each plan they do not live in). A view: person × geography rows are many, and
-- the indicator aggregates do not need them (they aggregate per area and roll up the areas);
-- the few models that place single persons in geographies read it.
select r.person_key, r.year, g.geography_code
from {{ ref('int_person__residence_year') }} as r
join {{ ref('int_area__geographies') }} as g
    on g.area_code is not distinct from r.area_code
