with

expenses as (
    select * from {{ ref('stg_psa__expenses') }}
),

final as (
    select
        expense_id,
        spent_date,
        total_cost,
        units,
        notes,
        is_billable,
        is_billed,
        is_locked,
        approval_status,
        user_id,
        psa_client_id,
        client_currency_code,
        psa_project_id,
        psa_project_code,
        expense_category,
        billing_invoice_id,
        billing_invoice_number,
        created_at,
        updated_at
    from expenses
)

select * from final
