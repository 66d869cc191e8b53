{#-
  Reconciliation settings, by precedence: --vars (a hand-run `dbt build --vars ...`), then the
  Q2C_RECON_SETTINGS environment variable (JSON of config/reconciliation.yml plus the as-of
  date; the nightly runner sets it, see orchestration/transform/dbt_cli.py: unlike --vars, a
  new value does not force a full re-parse), then the catalogue's defaults below. Keep the
  defaults equal to config/reconciliation.yml: tests/reconciliation/test_thresholds.py checks.
-#}
{% macro recon_default_settings() -%}
  {{ return({
      'as_of': '2026-01-01',
      'reporting_currency': 'USD',
      'amount_tolerance_abs': '0.01',
      'amount_tolerance_pct': '0.005',
      'grace_days': 2,
      'unbilled_age_days': 30,
      'expense_age_days': 30,
      'approval_backlog_days': 14,
      'inactive_customer_time_window_days': 30,
      'quantity_tolerance_hours': '0.01',
  }) }}
{%- endmacro %}

{% macro recon_default_owners() -%}
  {{ return({
      'ACC-01': 'sales_ops', 'ACC-02': 'sales_ops', 'ACC-03': 'sales_ops', 'ACC-04': 'sales_ops',
      'ACC-05': 'accounts_receivable', 'ACC-06': 'accounts_receivable',
      'RATE-01': 'pmo', 'RATE-02': 'billing', 'RATE-03': 'pmo', 'RATE-04': 'sales_ops', 'RATE-05': 'pmo',
      'UNB-01': 'pmo', 'UNB-02': 'billing', 'UNB-03': 'pmo', 'UNB-04': 'pmo', 'UNB-05': 'billing',
      'INV-01': 'billing', 'INV-02': 'billing', 'INV-03': 'billing',
      'INV-04': 'accounts_receivable', 'INV-05': 'accounts_receivable', 'INV-06': 'accounts_receivable',
      'INV-07': 'billing', 'INV-08': 'billing', 'INV-09': 'billing',
      'BOOK-01': 'sales_ops', 'BOOK-02': 'pmo',
  }) }}
{%- endmacro %}

{% macro recon_passed_settings() -%}
  {{ return(fromjson(env_var('Q2C_RECON_SETTINGS', '{}'))) }}
{%- endmacro %}

{#- Raw value of a setting (text or number as passed). -#}
{% macro recon_setting(name) -%}
  {{ return(var(name, recon_passed_settings().get(name, recon_default_settings()[name]))) }}
{%- endmacro %}

{#- Whole number of days, rendered as an integer literal. -#}
{% macro recon_days(name) -%}
  {{ return(recon_setting(name) | int) }}
{%- endmacro %}

{#- Exact decimal literal of a threshold (vars carry decimals as text, never floats). -#}
{% macro recon_decimal(name) -%}
  cast('{{ recon_setting(name) }}' as decimal(18,6))
{%- endmacro %}

{% macro recon_as_of() -%}
  cast('{{ recon_setting("as_of") }}' as date)
{%- endmacro %}

{% macro recon_reporting_currency() -%}
  '{{ recon_setting("reporting_currency") | upper }}'
{%- endmacro %}

{% macro recon_owner(rule_id) -%}
  {%- set owners = var('recon_owners', recon_passed_settings().get('recon_owners', recon_default_owners())) -%}
  {%- if rule_id not in owners -%}
    {{ exceptions.raise_compiler_error("no owner configured for rule " ~ rule_id) }}
  {%- endif -%}
  {{ return(owners[rule_id]) }}
{%- endmacro %}
