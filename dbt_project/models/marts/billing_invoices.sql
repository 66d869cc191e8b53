with

invoices as (
    select * from {{ ref('stg_billing__invoices') }}
),

lines as (
    select * from {{ ref('int_billing_invoice_lines_summed') }}
),

final as (
    select
        invoices.billing_invoice_id,
        invoices.invoice_number,
        invoices.billing_customer_id,
        invoices.status,
        invoices.currency_code,
        cast(invoices.currency_exponent as {{ dbt.type_bigint() }}) as currency_exponent,
        invoices.subtotal,
        invoices.tax,
        invoices.total,
        invoices.amount_due,
        invoices.amount_paid,
        invoices.amount_remaining,
        invoices.subtotal_minor,
        invoices.tax_minor,
        invoices.total_minor,
        invoices.amount_due_minor,
        invoices.amount_paid_minor,
        invoices.amount_remaining_minor,
        cast(coalesce(lines.line_count, 0) as {{ dbt.type_bigint() }}) as line_count,
        cast(coalesce(lines.lines_amount_minor, 0) as {{ dbt.type_bigint() }}) as lines_amount_minor,
        invoices.created_at,
        invoices.due_date,
        invoices.period_start,
        invoices.period_end,
        invoices.finalized_at,
        invoices.paid_at,
        invoices.voided_at,
        invoices.marked_uncollectible_at,
        invoices.psa_project_code,
        invoices.is_finalised,
        invoices.lines_has_more
    from invoices
    left join lines
        on invoices.billing_invoice_id = lines.billing_invoice_id
)

select * from final
