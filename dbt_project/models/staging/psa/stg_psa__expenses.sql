with

source as (
    select * from {{ source('raw_psa', 'expenses') }}
),

renamed as (
    select
        {{ to_id('id') }} as expense_id,
        {{ dbt.cast('spent_date', 'date') }} as spent_date,
        {{ to_money('total_cost') }} as total_cost,
        {{ dbt.cast('units', money_type()) }} as units,
        notes,
        billable as is_billable,
        is_billed,
        is_locked,
        approval_status,
        {{ to_id('user_id') }} as user_id,
        user_name,
        {{ to_id('client_id') }} as psa_client_id,
        client_name as psa_client_name,
        {{ to_currency_code('client_currency') }} as client_currency_code,
        {{ to_id('project_id') }} as psa_project_id,
        project_name,
        nullif(trim(project_code), '') as psa_project_code,
        {{ to_id('expense_category_id') }} as expense_category_id,
        expense_category_name as expense_category,
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
