{#-
  Incremental: entries whose own row or whose user (primary role) was loaded after the newest load
  already processed are rebuilt; entries purged by a `full` batch are deleted by the post-hook.
  An entry whose user vanished (purged) is rebuilt too, so its primary_role goes NULL.
-#}
-- depends_on: {{ ref('stg_psa__users') }}
{{ config(
    materialized='incremental',
    unique_key='time_entry_id',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    post_hook="{{ delete_purged_rows(ref('stg_psa__time_entries'), 'time_entry_id') }}"
) }}

with

time_entries as (
    select * from {{ ref('int_time_entries_enriched') }}
    {% if is_incremental() %}
    where {{ newer_than_processed('_source_load_id') }}
        or time_entry_id in (
            select processed.time_entry_id
            from {{ this }} as processed
            where processed.primary_role is not null
                and not exists (
                    select 1 from {{ ref('stg_psa__users') }} as users
                    where users.user_id = processed.user_id
                )
        )
    {% endif %}
),

final as (
    select
        time_entry_id,
        spent_date,
        hours,
        rounded_hours,
        notes,
        is_locked,
        is_billed,
        is_running,
        approval_status,
        is_billable,
        billable_rate,
        cost_rate,
        billable_amount,
        user_id,
        user_name,
        primary_role,
        role_code,
        role_name,
        psa_client_id,
        client_currency_code,
        psa_project_id,
        psa_project_code,
        task_name,
        user_assignment_id,
        user_assignment_is_active,
        user_assignment_hourly_rate,
        billing_invoice_id,
        billing_invoice_number,
        created_at,
        updated_at,
        _source_load_id
    from time_entries
)

select * from final
