with

links as (
    select * from {{ ref('stg_erp__previous_transaction_links') }}
),

final as (
    select
        erp_invoice_id,
        applying_transaction_id,
        link_type,
        amount,
        link_date
    from links
)

select * from final
