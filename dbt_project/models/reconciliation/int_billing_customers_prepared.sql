{#-
  Billing customers, deleted ones included, with liveness (not deleted), the upper-cased
  currency and the metadata keys normalised once for the rule models.
-#}
select
    billing_customers.billing_customer_id,
    billing_customers.customer_name,
    billing_customers.email,
    upper(trim(billing_customers.currency_code)) as currency_code,
    billing_customers.country_code,
    nullif(trim(billing_customers.crm_account_id), '') as crm_account_id,
    nullif(trim(billing_customers.erp_customer_id), '') as erp_customer_id,
    billing_customers.is_deleted,
    not coalesce(billing_customers.is_deleted, false) as is_live,
    billing_customers.created_at
from {{ ref('billing_customers') }} as billing_customers
