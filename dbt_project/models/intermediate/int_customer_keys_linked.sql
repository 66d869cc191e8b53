{#-
  Every candidate link between a CRM account and a downstream (ERP / billing) customer, from
  every pointer any system carries. Nothing is de-duplicated or resolved here: two links that
  disagree stay two rows, so the account rules (ACC-01/02/04/06) can see conflicts.
-#}
with

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

erp_customers as (
    select * from {{ ref('stg_erp__customers') }}
),

billing_customers as (
    select * from {{ ref('stg_billing__customers') }}
),

crm_to_erp as (
    select
        crm_account_id,
        'erp' as system,
        erp_customer_pointer as system_customer_id,
        'crm.erp_customer_id' as link_source,
        cast(null as {{ dbt.type_string() }}) as via_billing_customer_id
    from accounts
    where erp_customer_pointer is not null
),

erp_to_crm as (
    select
        crm_account_id,
        'erp' as system,
        erp_customer_id as system_customer_id,
        'erp.externalid' as link_source,
        cast(null as {{ dbt.type_string() }}) as via_billing_customer_id
    from erp_customers
    where crm_account_id is not null
),

billing_to_crm as (
    select
        crm_account_id,
        'billing' as system,
        billing_customer_id as system_customer_id,
        'billing.metadata.crm_account_id' as link_source,
        billing_customer_id as via_billing_customer_id
    from billing_customers
    where crm_account_id is not null
),

-- A billing customer's claim that its account (metadata.crm_account_id, possibly NULL) is the
-- ERP customer named in metadata.erp_customer_id.
billing_to_erp as (
    select
        crm_account_id,
        'erp' as system,
        erp_customer_id as system_customer_id,
        'billing.metadata.erp_customer_id' as link_source,
        billing_customer_id as via_billing_customer_id
    from billing_customers
    where erp_customer_id is not null
),

links as (
    select * from crm_to_erp
    union all
    select * from erp_to_crm
    union all
    select * from billing_to_crm
    union all
    select * from billing_to_erp
),

final as (
    select
        links.crm_account_id,
        links.system,
        links.system_customer_id,
        links.link_source,
        links.via_billing_customer_id,
        -- The three sources that define Mapping in the rules catalogue; the fourth is a cross-claim.
        links.link_source <> 'billing.metadata.erp_customer_id' as is_mapping_link,
        accounts.crm_account_id is not null as crm_account_exists,
        coalesce(accounts.is_live, false) as crm_account_is_live,
        case links.system
            when 'erp' then erp_customers.erp_customer_id is not null
            when 'billing' then billing_customers.billing_customer_id is not null
        end as system_customer_exists,
        coalesce(case links.system
            when 'erp' then erp_customers.is_live
            when 'billing' then billing_customers.is_live
        end, false) as system_customer_is_live
    from links
    left join accounts
        on links.crm_account_id = accounts.crm_account_id
    left join erp_customers
        on
            links.system = 'erp'
            and links.system_customer_id = erp_customers.erp_customer_id
    left join billing_customers
        on
            links.system = 'billing'
            and links.system_customer_id = billing_customers.billing_customer_id
)

select * from final
