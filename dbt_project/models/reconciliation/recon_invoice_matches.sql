{{ config(materialized='ephemeral') }}
{#-
  A billing invoice and an ERP invoice match when the CustInvc's externalid is the billing
  invoice id. When several ERP invoices carry the same externalid (a voided one and its
  re-issue), the pair uses the non-voided one, then the latest.
-#}
with

ranked as (
    select
        erp_invoices.*,
        row_number() over (
            partition by erp_invoices.billing_invoice_id
            order by
                case when erp_invoices.is_void then 1 else 0 end,
                erp_invoices.tran_date desc,
                erp_invoices.erp_transaction_id desc
        ) as preference
    from {{ ref('int_erp_invoices_prepared') }} as erp_invoices
    where erp_invoices.billing_invoice_id is not null
)

select
    billing_invoice_id,
    erp_transaction_id,
    erp_customer_id,
    status as erp_status,
    is_void as erp_is_void,
    currency_code as erp_currency_code,
    total as erp_total,
    amount_paid as erp_amount_paid,
    amount_unpaid as erp_amount_unpaid,
    credit_memo_applied as erp_credit_memo_applied
from ranked
where preference = 1
