{#-
  Billing invoice lines with the currency upper-cased and the rules' scope flag (a project
  code and a role) computed once for the rule models.
-#}
select
    billing_invoice_lines.billing_invoice_line_id,
    billing_invoice_lines.billing_invoice_id,
    billing_invoice_lines.position,
    billing_invoice_lines.amount,
    billing_invoice_lines.amount_minor,
    upper(billing_invoice_lines.currency_code) as currency_code,
    billing_invoice_lines.description,
    billing_invoice_lines.quantity,
    billing_invoice_lines.unit_amount,
    billing_invoice_lines.unit_amount_minor,
    billing_invoice_lines.period_start_at,
    billing_invoice_lines.period_end_at,
    billing_invoice_lines.period_start_date,
    billing_invoice_lines.psa_project_code,
    billing_invoice_lines.role_name,
    (
        nullif(trim(billing_invoice_lines.psa_project_code), '') is not null
        and nullif(trim(billing_invoice_lines.role_name), '') is not null
    ) as has_project_and_role
from {{ ref('billing_invoice_lines') }} as billing_invoice_lines
