with

lines as (
    select * from {{ ref('stg_erp__transaction_lines') }}
),

invoices as (
    select erp_transaction_id from {{ ref('stg_erp__transactions') }}
    where transaction_type = 'CustInvc'
),

final as (
    select
        lines.erp_transaction_line_id,
        lines.erp_transaction_id,
        lines.line_sequence,
        lines.is_main_line,
        lines.is_tax_line,
        lines.item,
        lines.quantity,
        lines.rate,
        lines.amount
    from lines
    inner join invoices
        on lines.erp_transaction_id = invoices.erp_transaction_id
)

select * from final
