{#-
  The customer attributes that ACC-03 compares, in long format: one row per system (crm, erp,
  billing), customer (the system's own id), attribute (name, currency, country, tax_id,
  legal_entity) and value, with the value as the system states it and its comparison key.
  Every normalisation of ACC-03 happens here, once (catalogue "Conventions"):
  - liveness: CRM account not deleted and not merged; ERP customer isinactive = F; billing
    customer not deleted;
  - currency and country codes upper case and trimmed;
  - names after normalise_customer_name, legal entities after normalise_legal_entity, tax ids
    after normalise_tax_id.
  attribute_key NULL means the system states nothing for the attribute (missing data, not
  drift). A billing customer holds a list of tax ids: one row per non-blank tax id, each a
  stated value even when nothing comparable is left of it (key '').
  Reads the marts (the reconciliation's input), so it lives beside the rule models.
-#}
with

crm_accounts as (
    select
        crm_account_id as customer_id,
        (not coalesce(is_deleted, false) and master_record_id is null) as is_live,
        account_name,
        upper(trim(currency_code)) as currency_code,
        upper(trim(country_code)) as country_code,
        nullif(trim(tax_id), '') as tax_id,
        legal_entity_name
    from {{ ref('customers') }}
),

erp_customers as (
    select
        erp_customer_id as customer_id,
        not coalesce(is_inactive, false) as is_live,
        company_name,
        upper(trim(currency_code)) as currency_code,
        upper(trim(country_code)) as country_code,
        nullif(trim(vat_reg_number), '') as vat_reg_number,
        subsidiary_legal_name
    from {{ ref('erp_customers') }}
),

billing_customers as (
    select
        billing_customer_id as customer_id,
        not coalesce(is_deleted, false) as is_live,
        customer_name,
        upper(trim(currency_code)) as currency_code,
        upper(trim(country_code)) as country_code
    from {{ ref('billing_customers') }}
),

billing_tax_ids as (
    select
        billing_customer_id as customer_id,
        position,
        tax_id
    from {{ ref('billing_customer_tax_ids') }}
    where nullif(trim(tax_id), '') is not null
),

{#- one branch per system and stated attribute: (system, CTE, attribute, the column stating it);
    an ERP customer's legal entity is its subsidiary's legalname -#}
{%- set stated = [
    ('crm', 'crm_accounts', 'name', 'account_name'),
    ('crm', 'crm_accounts', 'currency', 'currency_code'),
    ('crm', 'crm_accounts', 'country', 'country_code'),
    ('crm', 'crm_accounts', 'tax_id', 'tax_id'),
    ('crm', 'crm_accounts', 'legal_entity', 'legal_entity_name'),
    ('erp', 'erp_customers', 'name', 'company_name'),
    ('erp', 'erp_customers', 'currency', 'currency_code'),
    ('erp', 'erp_customers', 'country', 'country_code'),
    ('erp', 'erp_customers', 'tax_id', 'vat_reg_number'),
    ('erp', 'erp_customers', 'legal_entity', 'subsidiary_legal_name'),
    ('billing', 'billing_customers', 'name', 'customer_name'),
    ('billing', 'billing_customers', 'currency', 'currency_code'),
    ('billing', 'billing_customers', 'country', 'country_code'),
] %}

unpivoted as (
    {%- for system, cte, attribute, column in stated %}
        select
            '{{ system }}' as system,
            customer_id,
            is_live,
            '{{ attribute }}' as attribute,
            0 as value_position,
            {{ column }} as attribute_value,
            {%- if attribute == 'name' %}
                {{ normalise_customer_name(column) }} as attribute_key
            {%- elif attribute == 'tax_id' %}
                {{ normalise_tax_id(column) }} as attribute_key
            {%- elif attribute == 'legal_entity' %}
                {{ normalise_legal_entity(column) }} as attribute_key
            {%- else %}
                {{ column }} as attribute_key
            {%- endif %}
        from {{ cte }}
        union all
    {%- endfor %}
    -- a billing customer holds a list of tax ids: one branch row each
    select
        'billing' as system,
        b.customer_id,
        b.is_live,
        'tax_id' as attribute,
        t.position as value_position,
        t.tax_id as attribute_value,
        coalesce({{ normalise_tax_id('t.tax_id') }}, '') as attribute_key
    from billing_customers as b
    inner join billing_tax_ids as t on b.customer_id = t.customer_id
),

final as (
    select
        system,
        customer_id,
        is_live,
        attribute,
        cast(value_position as {{ dbt.type_int() }}) as value_position,
        {{ recon_text('attribute_value') }} as attribute_value,
        {{ recon_text('attribute_key') }} as attribute_key
    from unpivoted
)

select * from final
