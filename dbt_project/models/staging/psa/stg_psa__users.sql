with

source as (
    select * from {{ source('raw_psa', 'users') }}
),

renamed as (
    select
        {{ to_id('id') }} as user_id,
        first_name,
        last_name,
        email,
        is_active,
        {{ to_money('default_hourly_rate') }} as default_hourly_rate,
        {{ to_money('cost_rate') }} as cost_rate,
        {{ parse_iso_timestamp('created_at') }} as created_at,
        {{ parse_iso_timestamp('updated_at') }} as updated_at,
        _q2c_batch_id,
        _dlt_load_id
    from source
),

final as (
    select
        *,
        trim({{ dbt.concat(["coalesce(first_name, '')", "' '", "coalesce(last_name, '')"]) }}) as full_name
    from renamed
)

select * from final
