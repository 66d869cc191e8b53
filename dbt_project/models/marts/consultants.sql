with

consultants as (
    select * from {{ ref('int_consultants_primary_role') }}
),

final as (
    select
        user_id,
        first_name,
        last_name,
        full_name,
        email,
        is_active,
        primary_role,
        default_hourly_rate,
        cost_rate
    from consultants
)

select * from final
