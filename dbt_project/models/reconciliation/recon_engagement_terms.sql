{{ config(materialized='ephemeral') }}
{#-
  Engagement terms per project code. An engagement is fixed fee when any system says so
  (opportunity Billing_Type__c, PSA is_fixed_fee, ERP jobbillingtype FF); otherwise T&M.
-#}
select
    psa_project_code,
    opportunity_id,
    crm_account_id,
    upper(currency_code) as currency_code,
    contract_amount,
    not_to_exceed,
    close_date,
    psa_project_id,
    erp_job_id,
    erp_customer_id,
    coalesce(has_psa_project, false) as has_psa_project,
    coalesce(has_erp_job, false) as has_erp_job,
    (
        coalesce(is_fixed_fee, false)
        or coalesce(billing_type, '') = 'fixed_fee'
        or coalesce(project_is_fixed_fee, false)
        or upper(coalesce(erp_job_billing_type, '')) = 'FF'
    ) as is_fixed_fee
from {{ ref('engagements') }}
where psa_project_code is not null
