{#- Per NetSuite invoice: Σ payment and Σ credit-memo applications (previoustransactionlink). -#}
with

links as (
    select * from {{ ref('stg_erp__previous_transaction_links') }}
),

final as (
    select
        erp_invoice_id,
        coalesce(sum(case when link_type = 'payment' then amount end), 0) as payment_applied,
        coalesce(sum(case when link_type = 'credit_memo' then amount end), 0) as credit_memo_applied,
        coalesce(sum(amount), 0) as total_applied
    from links
    group by erp_invoice_id
)

select * from final
