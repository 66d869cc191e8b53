-- A Stripe invoice line is in its invoice's currency; the minor-unit arithmetic relies on it.
select
    lines.billing_invoice_line_id,
    lines.currency_code as line_currency,
    invoices.currency_code as invoice_currency
from {{ ref('billing_invoice_lines') }} as lines
inner join {{ ref('billing_invoices') }} as invoices
    on lines.billing_invoice_id = invoices.billing_invoice_id
where lines.currency_code <> invoices.currency_code
