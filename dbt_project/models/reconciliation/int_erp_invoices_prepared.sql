{#-
  ERP invoices (CustInvc), any status, with the upper-cased currency, voidness and the
  catalogue's open receivable flag computed once for the rule models.
-#}
select
    erp_invoices.erp_transaction_id,
    erp_invoices.tran_id,
    erp_invoices.status_code,
    erp_invoices.status,
    erp_invoices.is_voided,
    erp_invoices.tran_date,
    erp_invoices.due_date,
    erp_invoices.erp_customer_id,
    erp_invoices.erp_job_id,
    erp_invoices.psa_project_code,
    upper(erp_invoices.currency_code) as currency_code,
    erp_invoices.exchange_rate,
    erp_invoices.total,
    erp_invoices.amount_paid,
    erp_invoices.amount_unpaid,
    erp_invoices.billing_invoice_id,
    erp_invoices.memo,
    erp_invoices.last_modified_at,
    erp_invoices.lines_total,
    erp_invoices.credit_memo_applied,
    -- Voided flag or status; NULL when status is unknown and the flag is not set.
    (coalesce(erp_invoices.is_voided, false) or erp_invoices.status = 'voided') as is_void,
    -- Open receivables: non-voided CustInvc with foreignamountunpaid > 0.
    coalesce(
        not coalesce(erp_invoices.is_voided, false)
        and coalesce(erp_invoices.status, '') <> 'voided'
        and erp_invoices.amount_unpaid > 0,
        false
    ) as is_open_receivable
from {{ ref('erp_invoices') }} as erp_invoices
