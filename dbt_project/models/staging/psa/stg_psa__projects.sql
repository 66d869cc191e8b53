with

source as (
    select * from {{ source('raw_psa', 'projects') }}
),

renamed as (
    select
        {{ to_id('id') }} as psa_project_id,
        nullif(trim(code), '') as psa_project_code,
        name as project_name,
        {{ to_id('client_id') }} as psa_client_id,
        client_name as psa_client_name,
        {{ to_currency_code('client_currency') }} as psa_client_currency_code,
        is_active,
        is_billable,
        is_fixed_fee,
        bill_by,
        {{ to_money('hourly_rate') }} as hourly_rate,
        {{ to_money('fee') }} as fee,
        {{ dbt.cast('starts_on', 'date') }} as starts_on,
        {{ dbt.cast('ends_on', 'date') }} as ends_on,
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
