{#- The latest delivery's view of each spell of a spell source (anbringelser, dagtilbud,
    indsatsdeltagelse; models/intermediate/spells/). The file of year Y holds every spell active
    at some time in Y, as known when it was extracted: a spell still open then has no end and is
    delivered again, closed or still open, in the file of Y+1. So:
      - one row per spell (spell_key), from the latest file that holds it: it knows most;
      - a spell the latest file holding it shows open, absent from a later delivered year's file,
        was no longer active in that year: it ended before 1 January of the first delivered
        year after its last delivery, on a day the files do not give. active_until is then
        31 December of the year before (is_end_unknown); years in between without a file are
        not known and consumers leave them out (int_spells__delivered_years);
      - active_until is the last day the spell counts as active: the delivered end, capped as
        above; NULL = still open in the latest delivery.
    yearly_columns: attributes that may change from one file to the next (kept per delivered
    year in `yearly`, a list of structs with extract_year); delivered_flags: {name: column},
    whether any delivery of the spell had the column filled. -#}
{% macro latest_spell_view(staging_model, spell_key, end_column='end_date',
                           yearly_columns=[], delivered_flags={}) -%}
{%- set key = spell_key | join(', ') -%}
with delivered as (
    select * from {{ ref(staging_model) }}
),

delivered_years as (
    select extract_year, lead(extract_year) over (order by extract_year) as next_delivered_year
    from (select distinct extract_year from delivered)
),

latest as (
    select
        *,
        min(extract_year) over spell as first_delivered_year,
        count(*) over spell as deliveries,
        {%- for name, column in delivered_flags.items() %}
        bool_or({{ column }} is not null) over spell as {{ name }},
        {%- endfor %}
        {%- if yearly_columns %}
        list({'extract_year': extract_year{% for column in yearly_columns %}, '{{ column }}': {{ column }}{% endfor %}})
            over spell as yearly,
        {%- endif %}
        extract_year as last_delivered_year
    from delivered
    window spell as (partition by {{ key }})
    qualify row_number() over (partition by {{ key }} order by extract_year desc) = 1
),

bounded as (
    select
        l.* exclude (extract_year),
        y.next_delivered_year,
        -- absent from a later delivered file: no longer active in that year
        make_date(y.next_delivered_year - 1, 12, 31) as last_possible_day
    from latest as l
    join delivered_years as y on y.extract_year = l.last_delivered_year
)

select
    * exclude (last_possible_day),
    last_possible_day is not null
        and coalesce({{ end_column }} > last_possible_day, true) as is_end_unknown,
    case
        when last_possible_day is null then {{ end_column }}
        else least(coalesce({{ end_column }}, last_possible_day), last_possible_day)
    end as active_until
from bounded
{%- endmacro %}
