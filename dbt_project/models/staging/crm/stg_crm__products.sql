with

source as (
    select * from {{ source('raw_crm', 'product2') }}
),

renamed as (
    select
        id as product_id,
        name as role_name,
        product_code as role_code,
        family as product_family,
        coalesce({{ to_boolean('is_active') }}, false) as is_active,
        {{ parse_iso_timestamp('last_modified_date') }} as last_modified_at,
        _q2c_batch_id,
        _dlt_load_id
    from source
),

final as (
    select * from renamed
)

select * from final
