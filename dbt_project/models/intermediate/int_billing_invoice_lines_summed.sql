{#- Per Stripe invoice: line count and Σ line amounts in minor units (for subtotal = Σ lines). -#}
with

lines as (
    select * from {{ ref('stg_billing__invoice_lines') }}
),

final as (
    select
        billing_invoice_id,
        count(*) as line_count,
        sum(amount_minor) as lines_amount_minor
    from lines
    group by billing_invoice_id
)

select * from final
