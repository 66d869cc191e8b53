{#-
  The negotiated rate card: each live line item with its role name (Product2.Name, which PSA
  users carry as roles[0]) and its effective range ServiceDate .. Rate_End_Date__c (inclusive,
  NULL = open), keyed by the engagement's project code.
-#}
with

line_items as (
    select * from {{ ref('stg_crm__opportunity_line_items') }}
    where not is_deleted
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

products as (
    select * from {{ ref('stg_crm__products') }}
),

final as (
    select
        line_items.opportunity_line_item_id as rate_card_id,
        line_items.opportunity_id,
        opportunities.psa_project_code,
        line_items.product_id,
        coalesce(line_items.role_code, products.role_code) as role_code,
        products.role_name,
        line_items.unit_price as hourly_rate,
        line_items.list_price,
        line_items.discount_pct,
        line_items.hours_sold,
        opportunities.currency_code,
        line_items.effective_from,
        line_items.effective_to,
        coalesce(opportunities.is_live, false) as opportunity_is_live,
        coalesce(opportunities.is_won, false) as opportunity_is_won
    from line_items
    left join opportunities
        on line_items.opportunity_id = opportunities.opportunity_id
    left join products
        on line_items.product_id = products.product_id
)

select * from final
