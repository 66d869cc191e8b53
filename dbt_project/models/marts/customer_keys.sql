with

links as (
    select * from {{ ref('int_customer_keys_linked') }}
),

final as (
    select
        crm_account_id,
        system,
        system_customer_id,
        link_source,
        crm_account_exists,
        system_customer_exists,
        system_customer_is_live,
        crm_account_is_live,
        is_mapping_link,
        via_billing_customer_id
    from links
)

select * from final
