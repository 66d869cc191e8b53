with

invoices as (
    select * from {{ ref('int_erp_transactions_enriched') }}
    where transaction_type = 'CustInvc'
),

lines as (
    select * from {{ ref('int_erp_transaction_lines_summed') }}
),

applications as (
    select * from {{ ref('int_erp_invoice_applications_summed') }}
),

final as (
    select
        invoices.erp_transaction_id,
        invoices.tran_id,
        invoices.status_code,
        invoices.status,
        invoices.is_voided,
        invoices.tran_date,
        invoices.due_date,
        invoices.erp_customer_id,
        invoices.erp_job_id,
        invoices.psa_project_code,
        invoices.currency_code,
        invoices.exchange_rate,
        invoices.total,
        invoices.amount_paid,
        invoices.amount_unpaid,
        invoices.external_id as billing_invoice_id,
        invoices.memo,
        invoices.last_modified_at,
        cast(coalesce(lines.lines_total, 0) as {{ money_type() }}) as lines_total,
        cast(coalesce(applications.credit_memo_applied, 0) as {{ money_type() }}) as credit_memo_applied,
        cast(coalesce(applications.payment_applied, 0) as {{ money_type() }}) as payment_applied,
        cast(coalesce(lines.line_count, 0) as {{ dbt.type_bigint() }}) as line_count
    from invoices
    left join lines
        on invoices.erp_transaction_id = lines.erp_transaction_id
    left join applications
        on invoices.erp_transaction_id = applications.erp_invoice_id
)

select * from final
