{#-
  PSA projects with the client currency upper-cased once for the rule models.
-#}
select
    psa_projects.psa_project_id,
    psa_projects.psa_project_code,
    psa_projects.project_name,
    psa_projects.psa_client_id,
    psa_projects.psa_client_name,
    upper(psa_projects.psa_client_currency_code) as psa_client_currency_code,
    psa_projects.is_active,
    psa_projects.is_billable,
    psa_projects.is_fixed_fee,
    psa_projects.bill_by,
    psa_projects.hourly_rate,
    psa_projects.fee,
    psa_projects.starts_on,
    psa_projects.ends_on
from {{ ref('psa_projects') }} as psa_projects
