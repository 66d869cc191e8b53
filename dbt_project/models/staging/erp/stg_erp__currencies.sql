with

source as (
    select * from {{ source('raw_erp', 'currency') }}
),

renamed as (
    select
        id as erp_currency_id,
        {{ to_currency_code('symbol') }} as currency_code,
        name as currency_name
    from source
),

final as (
    select * from renamed
)

select * from final
