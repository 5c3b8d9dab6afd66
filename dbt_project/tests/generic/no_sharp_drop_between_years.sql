{#-
  no_sharp_drop_between_years(year_column, max_drop): fails for every year whose row count is
  more than max_drop (a fraction) below the year before. A truncated or half-delivered yearly
  extract passes every per-row check; its size gives it away.

      data_tests:
        - no_sharp_drop_between_years:
            arguments:
              year_column: extract_year
              max_drop: 0.25
-#}
{% test no_sharp_drop_between_years(model, year_column, max_drop=0.25) %}

with counts as (
    select {{ year_column }} as year, count(*) as n_rows
    from {{ model }}
    group by 1
),

compared as (
    select year, n_rows, lag(n_rows) over (order by year) as n_rows_year_before
    from counts
)

select *
from compared
where n_rows < (1 - {{ max_drop }}) * n_rows_year_before

{% endtest %}
