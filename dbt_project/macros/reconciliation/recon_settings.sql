{#-
  Reconciliation settings, by precedence: --vars (a hand-run `dbt build --vars ...`), then the
  Q2C_RECON_SETTINGS environment variable (JSON of config/reconciliation.yml plus the as-of
  date; the nightly runner sets it, see orchestration/transform/dbt_cli.py: unlike --vars, a
  new value does not force a full re-parse), then the catalogue's defaults (vars
  q2c_recon_defaults and the owners of q2c_rule_catalogue in dbt_project.yml). The shipped
  config/reconciliation.yml equals them: tests/reconciliation/test_thresholds.py and
  test_catalogue.py check.
-#}
{% macro recon_default_settings() -%}
  {{ return(var('q2c_recon_defaults')) }}
{%- endmacro %}

{#- The rule catalogue (vars of dbt_project.yml): one entry per rule, in catalogue order. -#}
{% macro recon_catalogue() -%}
  {{ return(var('q2c_rule_catalogue')) }}
{%- endmacro %}

{#- The catalogue entry of a rule; an unknown rule id is a compile error. -#}
{% macro recon_rule(rule_id) -%}
  {%- for rule in recon_catalogue() if rule['rule_id'] == rule_id -%}
    {{ return(rule) }}
  {%- endfor -%}
  {{ exceptions.raise_compiler_error("rule " ~ rule_id ~ " is not in the rule catalogue (dbt_project.yml vars q2c_rule_catalogue)") }}
{%- endmacro %}

{% macro recon_default_owners() -%}
  {%- set owners = {} -%}
  {%- for rule in recon_catalogue() -%}
    {%- do owners.update({rule['rule_id']: rule['owner']}) -%}
  {%- endfor -%}
  {{ return(owners) }}
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
