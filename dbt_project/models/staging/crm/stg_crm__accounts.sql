with

source as (
    select * from {{ source('raw_crm', 'account') }}
),

renamed as (
    select
        id as crm_account_id,
        name as account_name,
        account_number,
        nullif(parent_id, '') as parent_account_id,
        nullif(master_record_id, '') as master_record_id,
        type as account_type,
        upper(trim(billing_country_code)) as country_code,
        {{ to_currency_code('currency_iso_code') }} as currency_code,
        tax_id_c as tax_id,
        legal_entity_c as legal_entity_name,
        nullif(trim(erp_customer_id_c), '') as erp_customer_pointer,
        coalesce({{ to_boolean('is_deleted') }}, false) as is_deleted,
        {{ parse_iso_timestamp('created_date') }} as created_at,
        {{ parse_iso_timestamp('last_modified_date') }} as last_modified_at,
        {{ parse_iso_timestamp('system_modstamp') }} as system_modstamp_at,
        _q2c_batch_id,
        _dlt_load_id
    from source
),

final as (
    select
        *,
        -- Live (rules README): not deleted and not merged into another account.
        (not is_deleted and master_record_id is null) as is_live
    from renamed
)

select * from final
