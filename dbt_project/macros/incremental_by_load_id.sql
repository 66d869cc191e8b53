{#-
  Incremental marts driven by dlt load ids (design.md §1: every raw row carries _dlt_load_id).
  Rows whose inputs were loaded after the newest load already processed are rebuilt
  (delete+insert on the key); rows whose key no longer exists upstream (a `full` batch replaced
  the raw table and purged them) are deleted afterwards. dlt load ids are epoch-second strings of
  fixed width, so text comparison orders them in time.
-#}

{#- Filter for the rows to (re)process: those touched by a load newer than this table's newest. -#}
{% macro newer_than_processed(load_id_column) -%}
  {{ load_id_column }} > (select coalesce(max(processed._source_load_id), '') from {{ this }} as processed)
{%- endmacro %}

{#- Post-hook: delete rows whose key is gone from the upstream relation. -#}
{% macro delete_purged_rows(upstream, key) -%}
  delete from {{ this }} as processed
  where not exists (
      select 1 from {{ upstream }} as upstream
      where upstream.{{ key }} = processed.{{ key }}
  )
{%- endmacro %}
