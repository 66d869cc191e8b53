{{ config(materialized='ephemeral') }}
{#-
  Mapping (catalogue): an ERP customer belongs to the CRM account named in its externalid
  and to any account (live or not) whose ERP_Customer_Id__c names it. One row per
  (account id, ERP customer, link source); an ERP customer of any status.
-#}
with

erp_customers as (
    select
        erp_customer_id,
        crm_account_id as externalid,
        is_live
    from {{ ref('int_erp_customers_prepared') }}
),

pointers as (
    select
        crm_account_id,
        erp_customer_pointer
    from {{ ref('int_crm_accounts_prepared') }}
)

select
    externalid as crm_account_id,
    erp_customer_id,
    'erp.externalid' as link_source,
    is_live
from erp_customers
where externalid is not null

union all

select
    pointers.crm_account_id,
    erp_customers.erp_customer_id,
    'crm.erp_customer_id' as link_source,
    erp_customers.is_live
from pointers
inner join erp_customers on pointers.erp_customer_pointer = erp_customers.erp_customer_id
