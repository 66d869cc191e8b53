with

rate_cards as (
    select * from {{ ref('int_rate_cards_effective_dated') }}
),

final as (
    select
        rate_card_id,
        opportunity_id,
        psa_project_code,
        product_id,
        role_code,
        role_name,
        hourly_rate,
        list_price,
        discount_pct,
        hours_sold,
        currency_code,
        effective_from,
        effective_to,
        opportunity_is_live,
        opportunity_is_won
    from rate_cards
)

select * from final
