with

source as (
    select * from {{ source('raw_psa', 'user_roles') }}
),

renamed as (
    select
        {{ to_id('user_id') }} as user_id,
        cast(position as {{ dbt.type_bigint() }}) as role_position,
        role as role_name
    from source
),

final as (
    select
        *,
        role_position = 0 as is_primary
    from renamed
)

select * from final
