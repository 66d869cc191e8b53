{#- The canonical model's column types (design.md §2), plain ANSI so every adapter accepts them. -#}
{% macro money_type() %}decimal(18,4){% endmacro %}
{% macro hours_type() %}decimal(12,4){% endmacro %}
{% macro fx_rate_type() %}decimal(18,8){% endmacro %}
{% macro id_type() %}{{ dbt.type_string() }}{% endmacro %}

{#- Ids are text everywhere downstream of staging, whatever the source's type. -#}
{% macro to_id(column) -%}
  {{ dbt.cast(column, id_type()) }}
{%- endmacro %}
