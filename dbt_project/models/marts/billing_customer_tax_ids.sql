with

tax_ids as (
    select * from {{ ref('stg_billing__customer_tax_ids') }}
),

final as (
    select
        billing_customer_id,
        position,
        tax_id_type,
        tax_id
    from tax_ids
)

select * from final
