{#-
  Credit documents of either system with the currency upper-cased and the voided flag
  defaulted once for the rule models.
-#}
select
    credit_notes.credit_note_id,
    credit_notes.source_system,
    credit_notes.billing_credit_note_id,
    credit_notes.erp_transaction_id,
    credit_notes.billing_invoice_id,
    credit_notes.billing_customer_id,
    credit_notes.erp_customer_id,
    credit_notes.status,
    credit_notes.total,
    upper(credit_notes.currency_code) as currency_code,
    credit_notes.reason,
    credit_notes.created_at,
    credit_notes.created_on,
    credit_notes.voided_at,
    coalesce(credit_notes.is_voided, false) as is_voided,
    credit_notes.external_id,
    credit_notes.exchange_rate
from {{ ref('credit_notes') }} as credit_notes
