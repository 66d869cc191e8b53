{#-
  Per CRM account: the live downstream customers that map to it (rules catalogue, Mapping).
  A single live candidate resolves the key; zero or several leave it NULL, and the candidate
  counts show which.
-#}
with

links as (
    select * from {{ ref('int_customer_keys_linked') }}
    where is_mapping_link and system_customer_is_live and crm_account_id is not null
),

final as (
    select
        crm_account_id,
        count(distinct case when system = 'erp' then system_customer_id end) as erp_customer_candidates,
        max(case when system = 'erp' then system_customer_id end) as any_erp_customer_id,
        count(distinct case when system = 'billing' then system_customer_id end) as billing_customer_candidates,
        max(case when system = 'billing' then system_customer_id end) as any_billing_customer_id
    from links
    group by crm_account_id
)

select * from final
