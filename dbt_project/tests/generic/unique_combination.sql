{#-
  unique_combination(combination_of_columns): no two rows share the same values in all the
  given columns (NULLs count as equal). Used for the contract's composite keys, so the project
  needs no test package:

      data_tests:
        - unique_combination:
            arguments:
              combination_of_columns: [person_key, extract_year]
-#}
{% test unique_combination(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as n_rows
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
