{#-
  CRM opportunities, deleted ones included, with liveness (not deleted), is_won, the
  upper-cased currency and the project code key normalised once for the rule models.
-#}
select
    opportunities.opportunity_id,
    opportunities.crm_account_id,
    opportunities.opportunity_name,
    opportunities.stage_name,
    opportunities.is_closed,
    coalesce(opportunities.is_won, false) as is_won,
    opportunities.close_date,
    opportunities.amount,
    upper(opportunities.currency_code) as currency_code,
    opportunities.opportunity_type,
    opportunities.billing_type,
    opportunities.is_fixed_fee,
    opportunities.not_to_exceed,
    nullif(trim(opportunities.psa_project_code), '') as psa_project_code,
    opportunities.is_deleted,
    not coalesce(opportunities.is_deleted, false) as is_live
from {{ ref('opportunities') }} as opportunities
