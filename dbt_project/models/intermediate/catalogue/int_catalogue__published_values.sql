-- Every figure both documents publish, as one relation.
select 'HP2017' as plan_code, * from {{ ref('published_values_hp2017') }}
union all by name
select 'HP2025' as plan_code, * from {{ ref('published_values_hp2025') }}
