with

source as (
    select * from {{ source('raw_psa', 'time_entries') }}
),

renamed as (
    select
        {{ to_id('id') }} as time_entry_id,
        {{ dbt.cast('spent_date', 'date') }} as spent_date,
        {{ dbt.cast('hours', hours_type()) }} as hours,
        {{ dbt.cast('rounded_hours', hours_type()) }} as rounded_hours,
        notes,
        is_locked,
        is_billed,
        is_running,
        approval_status,
        billable as is_billable,
        {{ to_money('billable_rate') }} as billable_rate,
        {{ to_money('cost_rate') }} as cost_rate,
        {{ to_id('user_id') }} as user_id,
        user_name,
        {{ to_id('client_id') }} as psa_client_id,
        client_name as psa_client_name,
        {{ to_currency_code('client_currency') }} as client_currency_code,
        {{ to_id('project_id') }} as psa_project_id,
        project_name,
        nullif(trim(project_code), '') as psa_project_code,
        {{ to_id('task_id') }} as task_id,
        task_name,
        {{ to_id('user_assignment_id') }} as user_assignment_id,
        user_assignment_is_active,
        {{ to_money('user_assignment_hourly_rate') }} as user_assignment_hourly_rate,
        nullif(trim({{ to_id('invoice_id') }}), '') as billing_invoice_id,
        {{ to_id('invoice_number') }} as billing_invoice_number,
        {{ parse_iso_timestamp('created_at') }} as created_at,
        {{ parse_iso_timestamp('updated_at') }} as updated_at,
        _q2c_batch_id,
        _dlt_load_id
    from source
),

final as (
    select * from renamed
)

select * from final
