{#-
  PSA time entries with the billable/billed flags defaulted, the client currency
  upper-cased, the invoice key normalised and the user's primary role resolved (the entry's
  own, else the consultant's) once for the rule models.
-#}
select
    time_entries.time_entry_id,
    time_entries.spent_date,
    time_entries.hours,
    time_entries.rounded_hours,
    time_entries.notes,
    time_entries.is_locked,
    coalesce(time_entries.is_billed, false) as is_billed,
    time_entries.is_running,
    time_entries.approval_status,
    coalesce(time_entries.is_billable, false) as is_billable,
    time_entries.billable_rate,
    time_entries.cost_rate,
    time_entries.billable_amount,
    time_entries.user_id,
    time_entries.user_name,
    coalesce(time_entries.primary_role, consultants.primary_role) as primary_role,
    time_entries.psa_client_id,
    upper(time_entries.client_currency_code) as client_currency_code,
    time_entries.psa_project_id,
    time_entries.psa_project_code,
    time_entries.task_name,
    time_entries.user_assignment_id,
    time_entries.user_assignment_is_active,
    time_entries.user_assignment_hourly_rate,
    nullif(trim(time_entries.billing_invoice_id), '') as billing_invoice_id,
    time_entries.billing_invoice_number,
    time_entries.created_at,
    time_entries.updated_at
from {{ ref('time_entries') }} as time_entries
left join {{ ref('consultants') }} as consultants on time_entries.user_id = consultants.user_id
