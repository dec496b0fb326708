{#- The value of one limit of reference.plausibility_limits, as a scalar subquery. -#}
{% macro plausibility_limit(limit_name) -%}
    (select limit_value from {{ ref('plausibility_limits') }} where limit_name = '{{ limit_name }}')
{%- endmacro %}
