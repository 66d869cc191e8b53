{#-
  ERP customers, any status, with liveness (isinactive = F), upper-cased currency codes and the
  externalid key normalised once for the rule models.
-#}
select
    erp_customers.erp_customer_id,
    erp_customers.entity_id,
    erp_customers.company_name,
    nullif(trim(erp_customers.crm_account_id), '') as crm_account_id,
    upper(trim(erp_customers.currency_code)) as currency_code,
    erp_customers.subsidiary_id,
    erp_customers.subsidiary_name,
    erp_customers.subsidiary_legal_name,
    upper(erp_customers.subsidiary_currency_code) as subsidiary_currency_code,
    erp_customers.vat_reg_number,
    erp_customers.country_code,
    coalesce(erp_customers.is_inactive, false) as is_inactive,
    not coalesce(erp_customers.is_inactive, false) as is_live,
    erp_customers.created_on,
    erp_customers.last_modified_at
from {{ ref('erp_customers') }} as erp_customers
