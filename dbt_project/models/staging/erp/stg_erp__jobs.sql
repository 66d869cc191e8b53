with

source as (
    select * from {{ source('raw_erp', 'job') }}
),

renamed as (
    select
        id as erp_job_id,
        entityid as entity_id,
        companyname as company_name,
        customer as erp_customer_id,
        nullif(trim(externalid), '') as psa_project_code,
        jobbillingtype as job_billing_type,
        {{ parse_us_date('startdate') }} as starts_on,
        {{ parse_us_date('enddate') }} as ends_on,
        coalesce({{ to_boolean('isinactive') }}, false) as is_inactive,
        {{ parse_us_datetime('lastmodifieddate') }} as last_modified_at,
        _q2c_batch_id,
        _dlt_load_id
    from source
),

final as (
    select
        *,
        job_billing_type = 'FF' as is_fixed_fee
    from renamed
)

select * from final
