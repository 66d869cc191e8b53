with

source as (
    select * from {{ source('raw_billing', 'customers') }}
),

renamed as (
    select
        id as billing_customer_id,
        name as customer_name,
        email,
        {{ to_currency_code('currency') }} as currency_code,
        upper(trim(address_country)) as country_code,
        address_line1,
        address_city,
        address_postal_code,
        nullif(trim(metadata_crm_account_id), '') as crm_account_id,
        nullif(trim(metadata_erp_customer_id), '') as erp_customer_id,
        {{ epoch_to_timestamp('created') }} as created_at,
        livemode as is_livemode,
        -- Stripe sets deleted: true on deleted customers and omits the field otherwise.
        coalesce(deleted, false) as is_deleted,
        _q2c_batch_id,
        _dlt_load_id
    from source
),

final as (
    select
        *,
        not is_deleted as is_live
    from renamed
)

select * from final
