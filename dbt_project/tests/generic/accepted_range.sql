{#- Every non-null value of the column lies in [min_value, max_value] (either bound may be left
    out). The failing rows are the offending ones. Written here because the project installs no
    packages (dbt_utils has the same test). -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none) %}

select *

from {{ model }}
where {{ column_name }} is not null
  and (
      false
      {% if min_value is not none %} or {{ column_name }} < {{ min_value }} {% endif %}
      {% if max_value is not none %} or {{ column_name }} > {{ max_value }} {% endif %}
  )

{% endtest %}
