with

source as (
    select * from {{ source('raw_psa', 'clients') }}
),

renamed as (
    select
        {{ to_id('id') }} as psa_client_id,
        name as client_name,
        is_active,
        {{ to_currency_code('currency') }} as currency_code,
        {{ parse_iso_timestamp('created_at') }} as created_at,
        {{ parse_iso_timestamp('updated_at') }} as updated_at,
        _q2c_batch_id,
        _dlt_load_id
    from source
),

final as (
    select * from renamed
)

select * from final
