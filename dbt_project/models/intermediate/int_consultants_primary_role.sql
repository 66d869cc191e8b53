{#- PSA users with their primary role (roles[0]), the role whose contracted rate applies. -#}
{{ config(materialized="view") }}
with

users as (
    select * from {{ ref('stg_psa__users') }}
),

primary_roles as (
    select
        user_id,
        role_name
    from {{ ref('stg_psa__user_roles') }}
    where is_primary
),

final as (
    select
        users.*,
        primary_roles.role_name as primary_role
    from users
    left join primary_roles
        on users.user_id = primary_roles.user_id
)

select * from final
