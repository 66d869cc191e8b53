{#-
  Engagements with the currency upper-cased, the has_* flags defaulted and is_fixed_fee
  true when any system says fixed fee (opportunity Billing_Type__c, PSA is_fixed_fee, ERP
  jobbillingtype FF), computed once for the rule models.
-#}
select
    engagements.psa_project_code,
    engagements.opportunity_id,
    engagements.crm_account_id,
    engagements.billing_type,
    (
        coalesce(engagements.is_fixed_fee, false)
        or coalesce(engagements.billing_type, '') = 'fixed_fee'
        or coalesce(engagements.project_is_fixed_fee, false)
        or upper(coalesce(engagements.erp_job_billing_type, '')) = 'FF'
    ) as is_fixed_fee,
    upper(engagements.currency_code) as currency_code,
    engagements.contract_amount,
    engagements.not_to_exceed,
    engagements.close_date,
    engagements.psa_project_id,
    engagements.psa_client_id,
    engagements.psa_client_currency_code,
    engagements.project_is_active,
    engagements.project_is_billable,
    engagements.project_is_fixed_fee,
    engagements.starts_on,
    engagements.ends_on,
    engagements.erp_job_id,
    engagements.erp_customer_id,
    engagements.erp_job_billing_type,
    engagements.has_opportunity,
    coalesce(engagements.has_psa_project, false) as has_psa_project,
    coalesce(engagements.has_erp_job, false) as has_erp_job
from {{ ref('engagements') }} as engagements
