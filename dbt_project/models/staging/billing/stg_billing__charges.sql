with

source as (
    select * from {{ source('raw_billing', 'charges') }}
),

renamed as (
    select
        id as billing_charge_id,
        invoice as billing_invoice_id,
        customer as billing_customer_id,
        {{ minor_to_major('amount', 'currency') }} as amount,
        {{ minor_to_major('amount_captured', 'currency') }} as amount_captured,
        {{ minor_to_major('amount_refunded', 'currency') }} as amount_refunded,
        cast(amount as {{ dbt.type_bigint() }}) as amount_minor,
        {{ to_currency_code('currency') }} as currency_code,
        status,
        paid as is_paid,
        refunded as is_refunded,
        {{ epoch_to_timestamp('created') }} as created_at,
        _q2c_batch_id,
        _dlt_load_id
    from source
),

final as (
    select * from renamed
)

select * from final
