{#-
  Parsing of the sources' date/time text. The only adapter-specific SQL of the project:
  each macro dispatches to a DuckDB and a PostgreSQL implementation.
-#}

{#- NetSuite 'M/D/YYYY' -> date. A trailing time part ('3/1/2026 2:05 pm') is ignored. -#}
{% macro parse_us_date(column) -%}
  {{ return(adapter.dispatch('parse_us_date')(column)) }}
{%- endmacro %}

{% macro default__parse_us_date(column) -%}
  to_date({{ dbt.split_part(column, "' '", 1) }}, 'FMMM/FMDD/YYYY')
{%- endmacro %}

{% macro duckdb__parse_us_date(column) -%}
  cast(strptime({{ dbt.split_part(column, "' '", 1) }}, '%m/%d/%Y') as date)
{%- endmacro %}

{#- NetSuite 'M/D/YYYY h:mm am' -> timestamp (12 am = 00:xx, 12 pm = 12:xx). A date alone -> midnight. -#}
{% macro parse_us_datetime(column) -%}
  {{ return(adapter.dispatch('parse_us_datetime')(column)) }}
{%- endmacro %}

{% macro default__parse_us_datetime(column) -%}
  case
    when trim({{ column }}) like '% %'
      then cast(to_timestamp(upper(trim({{ column }})), 'FMMM/FMDD/YYYY FMHH12:MI AM') as timestamp)
    else cast(to_date(trim({{ column }}), 'FMMM/FMDD/YYYY') as timestamp)
  end
{%- endmacro %}

{% macro duckdb__parse_us_datetime(column) -%}
  case
    when trim({{ column }}) like '% %' then strptime(upper(trim({{ column }})), '%m/%d/%Y %I:%M %p')
    else strptime(trim({{ column }}), '%m/%d/%Y')
  end
{%- endmacro %}

{#- ISO 8601 text with offset ('2026-03-01T14:05:09.000Z') or a timestamptz -> UTC timestamp. -#}
{% macro parse_iso_timestamp(column) -%}
  {{ return(adapter.dispatch('parse_iso_timestamp')(column)) }}
{%- endmacro %}

{% macro default__parse_iso_timestamp(column) -%}
  (cast({{ column }} as timestamp with time zone) at time zone 'UTC')
{%- endmacro %}

{#- Unix epoch seconds -> UTC timestamp. -#}
{% macro epoch_to_timestamp(column) -%}
  {{ return(adapter.dispatch('epoch_to_timestamp')(column)) }}
{%- endmacro %}

{% macro default__epoch_to_timestamp(column) -%}
  (to_timestamp({{ column }}) at time zone 'UTC')
{%- endmacro %}

{% macro duckdb__epoch_to_timestamp(column) -%}
  make_timestamp(cast({{ column }} as bigint) * 1000000)
{%- endmacro %}
