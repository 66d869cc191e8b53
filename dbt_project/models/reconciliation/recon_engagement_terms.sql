{{ config(materialized='ephemeral') }}
{#-
  Engagement terms per project code (int_engagements_prepared: fixed fee when any system
  says so, currency upper-cased), engagements with a project code only.
-#}
select
    psa_project_code,
    opportunity_id,
    crm_account_id,
    currency_code,
    contract_amount,
    not_to_exceed,
    close_date,
    psa_project_id,
    erp_job_id,
    erp_customer_id,
    has_psa_project,
    has_erp_job,
    is_fixed_fee
from {{ ref('int_engagements_prepared') }}
where psa_project_code is not null
