{#-
  Shape of a finding (design.md §3). A rule CTE selects recon_finding(...) with SQL
  expressions for the columns it knows; recon_findings_final(...) unions a family's rule
  CTEs and adds the reporting-currency conversion and the as-of date, so every family
  model has exactly the columns of design.md §3 in that order.
-#}

{#- The keys of every system involved, in the order of the recon.findings contract
    (models/reconciliation/_reconciliation__models.yml, the one list of finding columns that
    Python reads too): the enforced contract fails the build if this list drifts from it. -#}
{% macro recon_key_columns() -%}
  {{ return(['crm_account_id', 'crm_opportunity_id', 'erp_customer_id', 'erp_transaction_id',
             'billing_customer_id', 'billing_invoice_id', 'billing_invoice_line_id',
             'billing_credit_note_id', 'psa_project_code', 'psa_time_entry_id', 'psa_expense_id']) }}
{%- endmacro %}

{% macro recon_finding_columns_before_keys() -%}
  {{ return(['rule_id', 'family', 'subject_type', 'subject_id', 'attribute']) }}
{%- endmacro %}

{% macro recon_text(expr) -%}
  cast({{ expr }} as {{ dbt.type_string() }})
{%- endmacro %}

{#- Text of an amount without trailing zeros noise: 150.0000 stays exact, rendered as stored. -#}
{% macro recon_amount_text(expr) -%}
  {{ recon_text('cast(' ~ expr ~ ' as ' ~ money_type() ~ ')') }}
{%- endmacro %}

{% macro recon_finding(rule_id, subject_type, subject_id, attribute=none,
                       crm_account_id=none, crm_opportunity_id=none, erp_customer_id=none,
                       erp_transaction_id=none, billing_customer_id=none, billing_invoice_id=none,
                       billing_invoice_line_id=none, billing_credit_note_id=none,
                       psa_project_code=none, psa_time_entry_id=none, psa_expense_id=none,
                       expected=none, actual=none, currency_code=none, amount_at_risk=none,
                       event_date=none, explanation=none) -%}
  {%- set keys = {
      'crm_account_id': crm_account_id, 'crm_opportunity_id': crm_opportunity_id,
      'erp_customer_id': erp_customer_id, 'erp_transaction_id': erp_transaction_id,
      'billing_customer_id': billing_customer_id, 'billing_invoice_id': billing_invoice_id,
      'billing_invoice_line_id': billing_invoice_line_id, 'billing_credit_note_id': billing_credit_note_id,
      'psa_project_code': psa_project_code, 'psa_time_entry_id': psa_time_entry_id,
      'psa_expense_id': psa_expense_id} -%}
  {#- Family and subject types come from the catalogue (dbt_project.yml vars): a rule CTE
      naming a rule or subject type the catalogue does not list fails to compile. -#}
  {%- set rule = recon_rule(rule_id) -%}
  {%- if subject_type not in rule['subject_types'] -%}
    {{ exceptions.raise_compiler_error("rule " ~ rule_id ~ " has subject types " ~ rule['subject_types'] ~ " in the catalogue, not " ~ subject_type) }}
  {%- endif -%}
    '{{ rule_id }}' as rule_id,
    '{{ rule['family'] }}' as family,
    '{{ subject_type }}' as subject_type,
    {{ recon_text(subject_id) }} as subject_id,
    {{ recon_text(attribute if attribute is not none else "''") }} as attribute,
  {%- for key in recon_key_columns() %}
    {{ recon_text(keys[key] if keys[key] is not none else 'null') }} as {{ key }},
  {%- endfor %}
    {{ recon_text(expected if expected is not none else 'null') }} as expected,
    {{ recon_text(actual if actual is not none else 'null') }} as actual,
    {{ recon_text('upper(' ~ currency_code ~ ')' if currency_code is not none else 'null') }} as currency_code,
    cast({{ amount_at_risk if amount_at_risk is not none else 'null' }} as {{ money_type() }}) as amount_at_risk,
    {{ dbt.cast(event_date if event_date is not none else 'null', 'date') }} as event_date,
    '{{ recon_owner(rule_id) }}' as owner,
    {{ recon_text(explanation) }} as explanation
{%- endmacro %}

{#-
  Final select of a family model: union of its rule CTEs plus reporting-currency amounts.
  Rate to the reporting currency: 1 for the reporting currency itself; else the exchange
  rate of the finding's ERP transaction when that transaction is in the finding's currency
  and its subsidiary's base currency is the reporting currency; else the fx_rates seed.
-#}
{% macro recon_findings_final(rule_ctes) -%}
drafts as (
  {%- for cte in rule_ctes %}
    select * from {{ cte }}
    {% if not loop.last %}union all{% endif %}
  {%- endfor %}
),

{#- The CRM account where one is known, so every finding can be read by customer: the
    rule's own, else its opportunity's, its engagement's (project code), its billing
    customer's (metadata.crm_account_id), or its ERP customer's when Mapping names exactly one. -#}
opportunity_accounts as (
    select opportunity_id, crm_account_id
    from {{ ref('int_opportunities_prepared') }}
    where crm_account_id is not null
),

engagement_accounts as (
    select psa_project_code, crm_account_id
    from {{ ref('recon_engagement_terms') }}
    where crm_account_id is not null
),

billing_customer_accounts as (
    select billing_customer_id, crm_account_id
    from {{ ref('int_billing_customers_prepared') }}
    where crm_account_id is not null
),

erp_customer_accounts as (
    select erp_customer_id, min(crm_account_id) as crm_account_id
    from {{ ref('recon_erp_customer_links') }}
    group by erp_customer_id
    having count(distinct crm_account_id) = 1
),

accounted as (
    select
        {%- for column in recon_finding_columns_before_keys() %}
        drafts.{{ column }},
        {%- endfor %}
        coalesce(
            drafts.crm_account_id,
            opportunity_accounts.crm_account_id,
            engagement_accounts.crm_account_id,
            billing_customer_accounts.crm_account_id,
            erp_customer_accounts.crm_account_id
        ) as crm_account_id,
        {%- for key in recon_key_columns() if key != 'crm_account_id' %}
        drafts.{{ key }},
        {%- endfor %}
        drafts.expected,
        drafts.actual,
        drafts.currency_code,
        drafts.amount_at_risk,
        drafts.event_date,
        drafts.owner,
        drafts.explanation
    from drafts
    left join opportunity_accounts on drafts.crm_opportunity_id = opportunity_accounts.opportunity_id
    left join engagement_accounts on drafts.psa_project_code = engagement_accounts.psa_project_code
    left join billing_customer_accounts on drafts.billing_customer_id = billing_customer_accounts.billing_customer_id
    left join erp_customer_accounts on drafts.erp_customer_id = erp_customer_accounts.erp_customer_id
),

erp_transaction_fx as (
    select * from {{ ref('recon_erp_transaction_fx') }}
),

seed_fx as (
    select upper(trim(currency_code)) as currency_code, rate_to_reporting
    from {{ ref('fx_rates') }}
),

converted as (
    select
        accounted.*,
        cast(case
            when accounted.currency_code is null then null
            when accounted.currency_code = {{ recon_reporting_currency() }} then 1
            when erp_transaction_fx.exchange_rate is not null then erp_transaction_fx.exchange_rate
            else seed_fx.rate_to_reporting
        end as {{ fx_rate_type() }}) as fx_rate_to_reporting
    from accounted
    left join erp_transaction_fx
        on erp_transaction_fx.erp_transaction_id = accounted.erp_transaction_id
        and erp_transaction_fx.currency_code = accounted.currency_code
        and erp_transaction_fx.subsidiary_currency_code = {{ recon_reporting_currency() }}
    left join seed_fx
        on seed_fx.currency_code = accounted.currency_code
)

select
    rule_id,
    family,
    subject_type,
    subject_id,
    attribute,
  {%- for key in recon_key_columns() %}
    {{ key }},
  {%- endfor %}
    expected,
    actual,
    currency_code,
    amount_at_risk,
    fx_rate_to_reporting,
    cast(round(amount_at_risk * fx_rate_to_reporting, 4) as {{ money_type() }}) as amount_at_risk_reporting,
    {{ recon_text(recon_reporting_currency()) }} as reporting_currency,
    event_date,
    cast({{ age_in_days('event_date') }} as {{ dbt.type_int() }}) as event_age_days,
    {{ recon_aging_bucket(age_in_days('event_date')) }} as event_aging_bucket,
    owner,
    explanation,
    {{ recon_as_of() }} as as_of_date
from converted
{%- endmacro %}
