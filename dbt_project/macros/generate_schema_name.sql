{#- Use the configured schema name as it is (raw, staging, intermediate, marts, quality,
    publication, reference) instead of dbt's default "<target>_<custom>" prefixing: analysts
    query these names. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
