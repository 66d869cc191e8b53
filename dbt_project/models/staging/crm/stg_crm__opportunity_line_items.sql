with

source as (
    select * from {{ source('raw_crm', 'opportunity_line_item') }}
),

renamed as (
    select
        id as opportunity_line_item_id,
        opportunity_id,
        product2_id as product_id,
        product_code as role_code,
        {{ dbt.cast('quantity', hours_type()) }} as hours_sold,
        {{ to_money('unit_price') }} as unit_price,
        {{ to_money('list_price') }} as list_price,
        {{ dbt.cast('discount', money_type()) }} as discount_pct,
        {{ to_money('total_price') }} as total_price,
        {{ dbt.cast('service_date', 'date') }} as effective_from,
        {{ dbt.cast('rate_end_date_c', 'date') }} as effective_to,
        coalesce({{ to_boolean('is_deleted') }}, false) as is_deleted,
        {{ parse_iso_timestamp('last_modified_date') }} as last_modified_at,
        _q2c_batch_id,
        _dlt_load_id
    from source
),

final as (
    select * from renamed
)

select * from final
