{#- Normalisers for the source systems' quirks (extracts README). Portable SQL only. -#}

{#- Salesforce 'true'/'false', NetSuite 'T'/'F' -> boolean; anything else -> NULL. -#}
{% macro to_boolean(column) -%}
  case
    when upper(trim({{ column }})) in ('T', 'TRUE') then true
    when upper(trim({{ column }})) in ('F', 'FALSE') then false
  end
{%- endmacro %}

{#- Upper-cased, trimmed currency code; empty -> NULL. -#}
{% macro to_currency_code(column) -%}
  nullif(upper(trim({{ column }})), '')
{%- endmacro %}

{#- Decimal text or number -> canonical money type. Strict cast: bad text fails the build. -#}
{% macro to_money(column) -%}
  {{ dbt.cast(column, money_type()) }}
{%- endmacro %}

{#- NetSuite status code -> named status, per transaction type (design.md §2). -#}
{% macro erp_status_name(type_column, status_column) -%}
  case {{ type_column }}
    when 'CustInvc' then case {{ status_column }}
      when 'A' then 'open' when 'B' then 'paid_in_full' when 'D' then 'pending_approval' when 'V' then 'voided' end
    when 'CustPymt' then case {{ status_column }}
      when 'B' then 'not_deposited' when 'C' then 'deposited' when 'V' then 'voided' end
    when 'CustCred' then case {{ status_column }}
      when 'A' then 'open' when 'B' then 'fully_applied' when 'V' then 'voided' end
  end
{%- endmacro %}
