{#-
  Time entries with the user's primary role (its name, and its CRM role code so that
  rate_cards joins on role_code as well as on role_name) and their billable value. A view: the incremental
  time_entries mart filters it by load id, so only changed rows are computed.
  _source_load_id is the newest dlt load that touched the row's inputs (the entry or its user,
  whose roles are replaced whenever the user arrives again).
-#}
{{ config(materialized='view') }}

with

time_entries as (
    select * from {{ ref('stg_psa__time_entries') }}
),

consultants as (
    select
        user_id,
        primary_role,
        _dlt_load_id
    from {{ ref('int_consultants_primary_role') }}
),

-- The code of a role name; a name that several CRM products carry with different codes has none.
role_codes as (
    select
        role_name,
        min(role_code) as role_code
    from {{ ref('stg_crm__products') }}
    where role_code is not null
    group by role_name
    having count(distinct role_code) = 1
),

final as (
    select
        time_entries.*,
        consultants.primary_role,
        role_codes.role_code,
        consultants.primary_role as role_name,
        cast(time_entries.hours * time_entries.billable_rate as {{ money_type() }}) as billable_amount,
        case
            when consultants._dlt_load_id > time_entries._dlt_load_id then consultants._dlt_load_id
            else time_entries._dlt_load_id
        end as _source_load_id
    from time_entries
    left join consultants
        on time_entries.user_id = consultants.user_id
    left join role_codes
        on consultants.primary_role = role_codes.role_name
)

select * from final
