{#-
  Comparisons shared by the rule models (catalogue "Conventions").
  Every macro yields NULL when an input is NULL: each rule decides what a missing value means.
-#}

{#- Cross-system amounts: |a - b| <= max(abs_tol, pct x the larger in absolute value). -#}
{% macro amounts_agree(a, b, abs_tol=none, pct=none) -%}
  (abs(({{ a }}) - ({{ b }}))
    <= greatest(
         {{ abs_tol if abs_tol is not none else recon_decimal('amount_tolerance_abs') }},
         {{ pct if pct is not none else recon_decimal('amount_tolerance_pct') }}
           * greatest(abs({{ a }}), abs({{ b }}))))
{%- endmacro %}

{% macro amounts_differ(a, b) -%}
  (not {{ amounts_agree(a, b) }})
{%- endmacro %}

{#- Inside one document: amounts in minor units differ by more than one minor unit. -#}
{% macro minor_units_differ(a_minor, b_minor) -%}
  (abs(({{ a_minor }}) - ({{ b_minor }})) > 1)
{%- endmacro %}

{#- Days from a date (or timestamp, truncated to its UTC date) to the run's as-of date. -#}
{% macro age_in_days(date_expr) -%}
  {{ dbt.datediff(dbt.cast(date_expr, 'date'), recon_as_of(), 'day') }}
{%- endmacro %}

{#- Catalogue ages: "more than N days before as-of" means as_of - date > N. -#}
{% macro older_than_days(date_expr, days) -%}
  ({{ age_in_days(date_expr) }} > {{ days }})
{%- endmacro %}

{#- Aging buckets of a finding's business event, the same as the exception ledger's
    (q2c/ledger/identity.py aging_bucket): 0-30, 31-60, 61-90, 90+; NULL without an event. -#}
{% macro recon_aging_bucket(age_expr) -%}
  case
    when ({{ age_expr }}) is null then null
    when ({{ age_expr }}) <= 30 then '0-30'
    when ({{ age_expr }}) <= 60 then '31-60'
    when ({{ age_expr }}) <= 90 then '61-90'
    else '90+'
  end
{%- endmacro %}

{% macro currency_codes_differ(a, b) -%}
  (upper(trim({{ a }})) <> upper(trim({{ b }})))
{%- endmacro %}

{#- Two attribute values disagree only when both are present: ACC-03 compares what the
    systems say, and a system that says nothing (NULL) does not contradict the other. -#}
{% macro values_differ(a, b) -%}
    ({{ a }} is not null and {{ b }} is not null and {{ a }} <> {{ b }})
{%- endmacro %}
