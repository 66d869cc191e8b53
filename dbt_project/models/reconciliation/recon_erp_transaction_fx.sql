{{ config(materialized='ephemeral') }}
{#-
  Exchange rate of each ERP invoice and credit memo to its subsidiary's base currency
  (NetSuite exchangerate), used to convert findings about that document.
-#}
with

erp_customers as (
    select
        erp_customer_id,
        upper(subsidiary_currency_code) as subsidiary_currency_code
    from {{ ref('erp_customers') }}
),

documents as (
    select
        erp_transaction_id,
        erp_customer_id,
        currency_code,
        exchange_rate
    from {{ ref('erp_invoices') }}
    union all
    select
        erp_transaction_id,
        erp_customer_id,
        currency_code,
        exchange_rate
    from {{ ref('credit_notes') }}
    where source_system = 'erp' and erp_transaction_id is not null
)

select
    documents.erp_transaction_id,
    upper(documents.currency_code) as currency_code,
    documents.exchange_rate,
    erp_customers.subsidiary_currency_code
from documents
left join erp_customers on documents.erp_customer_id = erp_customers.erp_customer_id
where documents.exchange_rate is not null
