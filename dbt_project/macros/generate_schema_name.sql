{#- Use the folder's schema name as is (staging, marts, recon...), not target_schema + "_" + name:
    analysts query marts.customers, not main_marts.customers. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
