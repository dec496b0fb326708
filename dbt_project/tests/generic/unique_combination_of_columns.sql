{#- A composite key: no two rows share the same values in all of `combination_of_columns`. Written
    here because the project installs no packages (dbt_utils has the same test). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as n_rows

from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
