with

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

final as (
    select
        opportunity_id,
        crm_account_id,
        opportunity_name,
        stage_name,
        is_closed,
        is_won,
        close_date,
        amount,
        currency_code,
        opportunity_type,
        billing_type,
        coalesce(is_fixed_fee, false) as is_fixed_fee,
        not_to_exceed,
        psa_project_code,
        is_deleted,
        is_live
    from opportunities
)

select * from final
