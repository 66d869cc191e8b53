with

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

mapped as (
    select * from {{ ref('int_customers_mapped') }}
),

final as (
    select
        accounts.crm_account_id as customer_id,
        accounts.crm_account_id,
        accounts.account_name,
        accounts.account_number,
        accounts.account_type,
        accounts.parent_account_id,
        accounts.master_record_id,
        accounts.country_code,
        accounts.currency_code,
        accounts.tax_id,
        accounts.legal_entity_name,
        accounts.erp_customer_pointer,
        accounts.is_deleted,
        accounts.is_live,
        accounts.created_at,
        accounts.last_modified_at,
        case when mapped.erp_customer_candidates = 1 then mapped.any_erp_customer_id end as erp_customer_id,
        case when mapped.billing_customer_candidates = 1 then mapped.any_billing_customer_id end as billing_customer_id,
        cast(coalesce(mapped.erp_customer_candidates, 0) as {{ dbt.type_bigint() }}) as erp_customer_candidates,
        cast(coalesce(mapped.billing_customer_candidates, 0) as {{ dbt.type_bigint() }}) as billing_customer_candidates
    from accounts
    left join mapped
        on accounts.crm_account_id = mapped.crm_account_id
)

select * from final
