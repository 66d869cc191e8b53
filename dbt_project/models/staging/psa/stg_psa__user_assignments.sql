with

source as (
    select * from {{ source('raw_psa', 'user_assignments') }}
),

renamed as (
    select
        {{ to_id('id') }} as user_assignment_id,
        {{ to_id('project_id') }} as psa_project_id,
        project_name,
        nullif(trim(project_code), '') as psa_project_code,
        {{ to_id('user_id') }} as user_id,
        user_name,
        is_active,
        use_default_rates,
        {{ to_money('hourly_rate') }} as hourly_rate,
        {{ to_money('budget') }} as budget,
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
