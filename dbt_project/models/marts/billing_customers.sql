with

customers as (
    select * from {{ ref('stg_billing__customers') }}
),

final as (
    select
        billing_customer_id,
        customer_name,
        email,
        currency_code,
        country_code,
        crm_account_id,
        erp_customer_id,
        is_deleted,
        is_live,
        created_at
    from customers
)

select * from final
