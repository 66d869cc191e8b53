{#-
  PSA expenses with the billable/billed flags defaulted, the client currency upper-cased
  and the invoice key normalised once for the rule models.
-#}
select
    expenses.expense_id,
    expenses.spent_date,
    expenses.total_cost,
    expenses.units,
    expenses.notes,
    coalesce(expenses.is_billable, false) as is_billable,
    coalesce(expenses.is_billed, false) as is_billed,
    expenses.is_locked,
    expenses.approval_status,
    expenses.user_id,
    expenses.psa_client_id,
    upper(expenses.client_currency_code) as client_currency_code,
    expenses.psa_project_id,
    expenses.psa_project_code,
    expenses.expense_category,
    nullif(trim(expenses.billing_invoice_id), '') as billing_invoice_id,
    expenses.billing_invoice_number,
    expenses.created_at,
    expenses.updated_at
from {{ ref('expenses') }} as expenses
