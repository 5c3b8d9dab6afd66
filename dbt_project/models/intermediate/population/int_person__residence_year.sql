-- Where each resident lived on 1 January of each year, and in which plan area. Incremental
-- by year (macros/incremental_years.sql): a new CPR stock adds its year, not all fifteen.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_years_to_rebuild(['int_person__residence_year'], 'year') }}",
    post_hook="{{ save_rebuild_inputs() }}",
) }}
{%- set from_year = years_to_rebuild(['int_person__residence_year']).get('int_person__residence_year') %}
select
    p.person_key,
    p.extract_year as year,
    p.stock_date,
    p.birth_date,
    {{ age_on('p.birth_date', 'p.stock_date') }} as age_years,
    p.sex,
    p.is_non_western,
    p.street_name,
    p.house_number,
    p.house_letter,
    a.area_code
from {{ ref('stg_kommune__cpr_befolkning') }} as p
left join {{ ref('int_address__area') }} as a
    on a.street_name = p.street_name
    and a.house_number = p.house_number
    and a.house_letter is not distinct from p.house_letter
{%- if from_year is not none %}
where p.extract_year >= {{ from_year }}
{%- endif %}
