{#- The value of `column` that most reports of each incident give (nulls left out); ties go to the
    value first published, then the smallest. `reports` is a relation or CTE with incident_id,
    published_date and `column`. -#}
{% macro most_reported(reports, column) %}
    select incident_id, {{ column }}
    from (
        select incident_id, {{ column }}, count(*) as n_reports, min(published_date) as first_published
        from {{ reports }}
        where {{ column }} is not null
        group by incident_id, {{ column }}
    )
    qualify row_number() over (
        partition by incident_id order by n_reports desc, first_published nulls last, {{ column }}
    ) = 1
{% endmacro %}
