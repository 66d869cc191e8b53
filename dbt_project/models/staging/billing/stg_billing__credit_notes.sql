with

source as (
    select * from {{ source('raw_billing', 'credit_notes') }}
),

renamed as (
    select
        id as billing_credit_note_id,
        invoice as billing_invoice_id,
        customer as billing_customer_id,
        status,
        {{ minor_to_major('total', 'currency') }} as total,
        cast(total as {{ dbt.type_bigint() }}) as total_minor,
        {{ to_currency_code('currency') }} as currency_code,
        reason,
        {{ epoch_to_timestamp('created') }} as created_at,
        {{ epoch_to_timestamp('voided_at') }} as voided_at,
        _q2c_batch_id,
        _dlt_load_id
    from source
),

final as (
    select
        *,
        status = 'void' as is_voided
    from renamed
)

select * from final
