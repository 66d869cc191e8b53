with

customers as (
    select * from {{ ref('stg_erp__customers') }}
),

subsidiaries as (
    select * from {{ ref('stg_erp__subsidiaries') }}
),

currencies as (
    select * from {{ ref('stg_erp__currencies') }}
),

final as (
    select
        customers.erp_customer_id,
        customers.entity_id,
        customers.company_name,
        customers.crm_account_id,
        customer_currency.currency_code,
        customers.subsidiary_id,
        subsidiaries.subsidiary_name,
        subsidiaries.subsidiary_legal_name,
        subsidiary_currency.currency_code as subsidiary_currency_code,
        customers.vat_reg_number,
        customers.country_code,
        customers.is_inactive,
        customers.is_live,
        customers.created_on,
        customers.last_modified_at
    from customers
    left join currencies as customer_currency
        on customers.erp_currency_id = customer_currency.erp_currency_id
    left join subsidiaries
        on customers.subsidiary_id = subsidiaries.subsidiary_id
    left join currencies as subsidiary_currency
        on subsidiaries.erp_currency_id = subsidiary_currency.erp_currency_id
)

select * from final
