{{ config(severity='warn') }}
-- NetSuite's own arithmetic: payments and credit memos applied to an invoice never exceed its
-- total (one minor unit of slack). Dirty demo data breaks it on purpose, so it warns; the
-- reconciliation rules report the defect.
select
    erp_transaction_id,
    total,
    payment_applied,
    credit_memo_applied
from {{ ref('erp_invoices') }}
where payment_applied + credit_memo_applied > total + 0.01
