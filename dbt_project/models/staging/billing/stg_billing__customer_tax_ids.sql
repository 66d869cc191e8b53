with

source as (
    select * from {{ source('raw_billing', 'customer_tax_ids') }}
),

renamed as (
    select
        customer_id as billing_customer_id,
        cast(position as {{ dbt.type_bigint() }}) as position,
        type as tax_id_type,
        value as tax_id
    from source
),

final as (
    select * from renamed
)

select * from final
