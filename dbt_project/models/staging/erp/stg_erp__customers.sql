with

source as (
    select * from {{ source('raw_erp', 'customer') }}
),

renamed as (
    select
        id as erp_customer_id,
        entityid as entity_id,
        companyname as company_name,
        nullif(trim(externalid), '') as crm_account_id,
        currency as erp_currency_id,
        subsidiary as subsidiary_id,
        vatregnumber as vat_reg_number,
        upper(trim(billcountry)) as country_code,
        coalesce({{ to_boolean('isinactive') }}, false) as is_inactive,
        {{ parse_us_date('datecreated') }} as created_on,
        {{ parse_us_datetime('lastmodifieddate') }} as last_modified_at,
        _q2c_batch_id,
        _dlt_load_id
    from source
),

final as (
    select
        *,
        not is_inactive as is_live
    from renamed
)

select * from final
