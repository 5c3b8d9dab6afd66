{#-
  stage_published_table(source_table, provider, measures, keys, decimal_mark=',', thousands=none)

  The shared shape of every published aggregate table's staging model: a wide table as
  downloaded (one column per measure) becomes one row per geography x measure, with the number,
  the suppression marker's meaning and the cell as delivered. `keys` maps delivered key
  columns to their staging names, e.g. {'OMRAADE': 'geography_name'}.
-#}
{% macro stage_published_table(source_table, provider, measures, keys, decimal_mark=',', thousands=none) %}
{%- set markers = published_markers(provider) %}
with source as (

    select * from {{ source('publicerede', source_table) }}

),

unpivoted as (

    -- include nulls: an empty cell is kept as a row (LBF's marker for 'not available').
    select *
    from source
    unpivot include nulls (cell for measure in ({{ measures | join(', ') }}))

),

renamed as (

    select
        {%- for delivered, name in keys.items() %}
        {{ delivered }} as {{ name }},
        {%- endfor %}
        measure,
        {{ published_value('cell', markers, decimal_mark, thousands) }} as value,
        {{ value_marker('cell', markers) }} as value_marker,
        cell as value_as_delivered,

        _extract_year as extract_year,
        _source_file as source_file,
        _source_row as source_row,
        _loaded_at as loaded_at
    from unpivoted

)

select * from renamed
{% endmacro %}
