{#- Disclosure control, shared by every export model (docs/disclosure-control.md).

    A disclosure model describes its table as
      cells:   one row per publishable figure: cell_id, cost (persons behind it: the cheapest
               cell is hidden first), is_primary (fewer than var('small_n_threshold') persons);
      members: one row per cell per additive relation it takes part in: relation_id, cell_id,
               is_parent (the side of the equation: children on one side, parents on the other). A relation says "the children add up to the parent", e.g. the plan's
               areas add up to all areas, or generel + fokuseret + særlig = the number assessed.
    secondary_suppression() then hides, round after round, one more cell in every relation
    that has exactly one hidden cell, since that one cell is the relation's total minus the
    others. Children are hidden before the parent (totals are worth more to readers), the
    fewest persons first. -#}

{#- Primary suppression: a computed figure behind 1 .. threshold-1 persons. 0 is not a person. -#}
{% macro is_small_count(count_col) -%}
    coalesce({{ count_col }} between 0.5 and {{ var('small_n_threshold') }} - 0.5, false)
{%- endmacro %}


{#- cells: relation with cell_id, cost, is_primary. members: relation with relation_id, cell_id,
    is_parent (only relations with a parent and at least two members are used).
    Returns a select: cell_id, is_primary, is_suppressed, suppressed_by_relation (the relation
    that forced a secondary suppression) and unsafe_relations (relations of the cell that still
    have exactly one hidden cell after the last round: must be 0, a dbt test checks it). -#}
{% macro secondary_suppression(cells, members, rounds=none) -%}
    {%- set rounds = rounds or var('disclosure_rounds', 12) -%}
    with relation_members as (
        select m.relation_id, m.cell_id, m.is_parent, c.cost
        from {{ members }} as m
        join {{ cells }} as c using (cell_id)
        qualify count(*) filter (where m.is_parent) over (partition by m.relation_id) >= 1
            and count(*) over (partition by m.relation_id) >= 2
    ),

    round_0 as (
        select cell_id, is_primary, is_primary as is_suppressed, cast(null as varchar) as suppressed_by_relation
        from {{ cells }}
    ),
    {%- for k in range(1, rounds + 1) %}

    exposed_{{ k }} as (
        -- relations where exactly one cell is hidden: it could be recovered by subtraction
        select m.relation_id
        from relation_members as m
        join round_{{ k - 1 }} as s using (cell_id)
        group by m.relation_id
        having count(*) filter (where s.is_suppressed) = 1
    ),

    picks_{{ k }} as (
        select m.relation_id, m.cell_id
        from relation_members as m
        join exposed_{{ k }} as e using (relation_id)
        join round_{{ k - 1 }} as s using (cell_id)
        where not s.is_suppressed
        qualify row_number() over (partition by m.relation_id order by m.is_parent, m.cost, m.cell_id) = 1
    ),

    round_{{ k }} as (
        select
            s.cell_id,
            s.is_primary,
            s.is_suppressed or p.cell_id is not null as is_suppressed,
            coalesce(s.suppressed_by_relation, p.relation_id) as suppressed_by_relation
        from round_{{ k - 1 }} as s
        left join (select cell_id, min(relation_id) as relation_id from picks_{{ k }} group by cell_id) as p
            using (cell_id)
    ),
    {%- endfor %}

    unsafe as (
        select m.cell_id, count(*) as unsafe_relations
        from relation_members as m
        join (
            select m2.relation_id
            from relation_members as m2
            join round_{{ rounds }} as s using (cell_id)
            group by m2.relation_id
            having count(*) filter (where s.is_suppressed) = 1
        ) as still_exposed using (relation_id)
        group by m.cell_id
    )

    select
        s.cell_id,
        s.is_primary,
        s.is_suppressed,
        s.is_suppressed and not s.is_primary as is_secondary,
        s.suppressed_by_relation,
        coalesce(u.unsafe_relations, 0) as unsafe_relations
    from round_{{ rounds }} as s
    left join unsafe as u using (cell_id)
{%- endmacro %}


{#- Membership in the geographic relations of one group of cells (one indicator and period,
    or one year and category): the plan's areas add up to its all-areas total, and the plan's
    total plus the municipality without the plan's areas add up to the municipality.
    cells: relation with cell_id, group_key, geography_code. -#}
{% macro geography_relation_members(cells) -%}
    -- plan areas are the children of the plan's total
    select c.group_key || ' | ' || pa.plan_code || ': områderne = alle områder' as relation_id,
           c.cell_id, false as is_parent
    from {{ cells }} as c
    join {{ ref('plan_areas') }} as pa on pa.area_code = c.geography_code
    union all
    select c.group_key || ' | ' || g.plan_code || ': områderne = alle områder', c.cell_id, true
    from {{ cells }} as c
    join {{ ref('geographies') }} as g on g.geography_code = c.geography_code and g.geography_type = 'plan_total'
    union all
    -- the plan's total and the municipality without the plan's areas are the municipality's parts
    select c.group_key || ' | ' || g.plan_code || ': alle områder + kommunen uden områderne = kommunen',
           c.cell_id, false
    from {{ cells }} as c
    join {{ ref('geographies') }} as g
        on g.geography_code = c.geography_code and g.geography_type in ('plan_total', 'municipality_excl_plan')
    union all
    select c.group_key || ' | ' || p.plan_code || ': alle områder + kommunen uden områderne = kommunen',
           c.cell_id, true
    from {{ cells }} as c
    join {{ ref('geographies') }} as g on g.geography_code = c.geography_code and g.geography_type = 'municipality'
    cross join (select distinct plan_code from {{ ref('plan_areas') }}) as p
    union all
    -- relations implied by a plan whose areas all belong to a bigger plan (plan 2017-21's three
    -- areas are among plan 2025-29's seven): an attacker subtracts one relation from another
    select c.group_key || ' | ' || n.relation_id, c.cell_id, n.is_parent
    from {{ cells }} as c
    join ({{ nested_plan_relations() }}) as n on n.geography_code = c.geography_code
{%- endmacro %}


{#- For every pair of plans where the smaller plan's areas all belong to the bigger plan, the
    relations an attacker gets by subtracting one published relation from another:
      the bigger plan's areas outside the smaller one = bigger total - smaller total;
      bigger total + municipality without its areas = smaller total + municipality without its areas;
      the bigger plan's areas outside the smaller one = municipality without the smaller plan's
      areas - municipality without the bigger plan's areas.
    Returns relation_id, geography_code, is_parent. -#}
{% macro nested_plan_relations() -%}
    with plans as (select distinct plan_code from {{ ref('plan_areas') }}),
    pairs as (
        select big.plan_code, small.plan_code as sub_plan_code
        from plans as big
        join plans as small on small.plan_code <> big.plan_code
        where not exists (
            select 1 from {{ ref('plan_areas') }} as sa
            where sa.plan_code = small.plan_code
              and sa.area_code not in (select area_code from {{ ref('plan_areas') }} where plan_code = big.plan_code)
        )
    ),
    outside as (
        select p.plan_code, p.sub_plan_code, a.area_code as geography_code
        from pairs as p
        join {{ ref('plan_areas') }} as a on a.plan_code = p.plan_code
        where a.area_code not in (select area_code from {{ ref('plan_areas') }} where plan_code = p.sub_plan_code)
    ),
    geo as (select geography_code, geography_type, plan_code from {{ ref('geographies') }})

    select plan_code || ' uden ' || sub_plan_code || ': områderne udenfor = forskellen på de to totaler' as relation_id,
           geography_code, false as is_parent
    from outside
    union all
    select p.plan_code || ' uden ' || p.sub_plan_code || ': områderne udenfor = forskellen på de to totaler',
           g.geography_code, true
    from pairs as p join geo as g on g.geography_type = 'plan_total' and g.plan_code in (p.plan_code, p.sub_plan_code)
    union all
    select p.plan_code || ' og ' || p.sub_plan_code || ': to opdelinger af kommunen',
           g.geography_code, g.plan_code = p.sub_plan_code
    from pairs as p
    join geo as g on g.geography_type in ('plan_total', 'municipality_excl_plan') and g.plan_code in (p.plan_code, p.sub_plan_code)
    union all
    select plan_code || ' uden ' || sub_plan_code || ': områderne udenfor = forskellen på kommunen uden områderne',
           geography_code, false
    from outside
    union all
    select p.plan_code || ' uden ' || p.sub_plan_code || ': områderne udenfor = forskellen på kommunen uden områderne',
           g.geography_code, g.plan_code = p.sub_plan_code
    from pairs as p
    join geo as g on g.geography_type = 'municipality_excl_plan' and g.plan_code in (p.plan_code, p.sub_plan_code)
{%- endmacro %}


{#- The decision columns every disclosure model ends with: cells ``c`` (with primary_reason_da)
    joined to the suppression rounds ``s``; the reason says primary or secondary (kept in the
    quality schema for the monitoring unit, never published). -#}
{% macro disclosure_decision_columns(c, s) -%}
    {{ s }}.is_primary,
    {{ s }}.is_secondary,
    {{ s }}.is_suppressed,
    case
        when {{ s }}.is_primary then 'Primær: ' || {{ c }}.primary_reason_da || '.'
        when {{ s }}.is_secondary then 'Sekundær: ellers kunne et skjult tal regnes ud (' || {{ s }}.suppressed_by_relation || ').'
    end as suppression_reason_da,
    {{ s }}.unsafe_relations
{%- endmacro %}
