with

source as (
    select * from {{ source('raw_billing', 'invoice_lines') }}
),

renamed as (
    select
        id as billing_invoice_line_id,
        invoice_id as billing_invoice_id,
        cast(position as {{ dbt.type_bigint() }}) as position,
        {{ minor_to_major('amount', 'currency') }} as amount,
        cast(amount as {{ dbt.type_bigint() }}) as amount_minor,
        {{ to_currency_code('currency') }} as currency_code,
        {{ currency_exponent('currency') }} as currency_exponent,
        description,
        {{ dbt.cast('quantity', hours_type()) }} as quantity,
        -- Stripe sends the unit price as a decimal string in minor units ("17500", "17500.5").
        {{ dbt.cast('unit_amount_excluding_tax', money_type()) }} as unit_amount_minor,
        {{ minor_to_major(dbt.cast('unit_amount_excluding_tax', money_type()), 'currency') }} as unit_amount,
        {{ epoch_to_timestamp('period_start') }} as period_start_at,
        {{ epoch_to_timestamp('period_end') }} as period_end_at,
        nullif(trim(metadata_psa_project_code), '') as psa_project_code,
        nullif(trim(metadata_role), '') as role_name,
        _q2c_batch_id,
        _dlt_load_id
    from source
),

final as (
    select
        *,
        {{ dbt.cast('period_start_at', 'date') }} as period_start_date
    from renamed
)

select * from final
