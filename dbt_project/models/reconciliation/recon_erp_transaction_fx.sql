{{ config(materialized='ephemeral') }}
{#-
  Exchange rate of each ERP invoice and credit memo to its subsidiary's base currency
  (NetSuite exchangerate), used to convert findings about that document.
-#}
with

erp_customers as (
    select
        erp_customer_id,
        subsidiary_currency_code
    from {{ ref('int_erp_customers_prepared') }}
),

documents as (
    select
        erp_transaction_id,
        erp_customer_id,
        currency_code,
        exchange_rate
    from {{ ref('int_erp_invoices_prepared') }}
    union all
    select
        erp_transaction_id,
        erp_customer_id,
        currency_code,
        exchange_rate
    from {{ ref('int_credit_notes_prepared') }}
    where source_system = 'erp' and erp_transaction_id is not null
)

select
    documents.erp_transaction_id,
    documents.currency_code,
    documents.exchange_rate,
    erp_customers.subsidiary_currency_code
from documents
left join erp_customers on documents.erp_customer_id = erp_customers.erp_customer_id
where documents.exchange_rate is not null
