with

source as (
    select * from {{ source('raw_crm', 'opportunity') }}
),

renamed as (
    select
        id as opportunity_id,
        account_id as crm_account_id,
        name as opportunity_name,
        stage_name,
        coalesce({{ to_boolean('is_closed') }}, false) as is_closed,
        coalesce({{ to_boolean('is_won') }}, false) as is_won,
        {{ dbt.cast('close_date', 'date') }} as close_date,
        {{ to_money('amount') }} as amount,
        {{ to_currency_code('currency_iso_code') }} as currency_code,
        type as opportunity_type,
        billing_type_c as billing_type_label,
        case billing_type_c
            when 'Time and Materials' then 'time_and_materials'
            when 'Fixed Fee' then 'fixed_fee'
        end as billing_type,
        {{ to_money('not_to_exceed_c') }} as not_to_exceed,
        nullif(trim(psa_project_code_c), '') as psa_project_code,
        coalesce({{ to_boolean('is_deleted') }}, false) as is_deleted,
        {{ parse_iso_timestamp('last_modified_date') }} as last_modified_at,
        _q2c_batch_id,
        _dlt_load_id
    from source
),

final as (
    select
        *,
        billing_type = 'fixed_fee' as is_fixed_fee,
        not is_deleted as is_live
    from renamed
)

select * from final
