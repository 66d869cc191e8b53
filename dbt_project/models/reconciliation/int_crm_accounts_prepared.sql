{#-
  CRM accounts (marts.customers, every account) with the catalogue's liveness and the ERP pointer
  normalised once for the rule models.
-#}
select
    customers.customer_id,
    customers.crm_account_id,
    customers.account_name,
    customers.account_number,
    customers.account_type,
    customers.parent_account_id,
    customers.master_record_id,
    customers.country_code,
    customers.currency_code,
    customers.tax_id,
    customers.legal_entity_name,
    nullif(trim(customers.erp_customer_pointer), '') as erp_customer_pointer,
    customers.is_deleted,
    -- Live: not deleted and not merged into another account.
    (not coalesce(customers.is_deleted, false) and customers.master_record_id is null) as is_live,
    customers.created_at,
    customers.last_modified_at,
    customers.erp_customer_id,
    customers.billing_customer_id,
    customers.erp_customer_candidates,
    customers.billing_customer_candidates
from {{ ref('customers') }} as customers
