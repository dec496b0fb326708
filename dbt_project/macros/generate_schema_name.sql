{#- Use a model's custom schema verbatim (`marts`, not `main_marts`): the warehouse has one target,
    so there are no per-developer schema prefixes to keep apart. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
