with

source as (
    select * from {{ source('raw_erp', 'transaction') }}
),

renamed as (
    select
        id as erp_transaction_id,
        tranid as tran_id,
        type as transaction_type,
        status as status_code,
        {{ erp_status_name('type', 'status') }} as status,
        {{ parse_us_date('trandate') }} as tran_date,
        {{ parse_us_date('duedate') }} as due_date,
        entity as erp_customer_id,
        nullif(trim(job), '') as erp_job_id,
        currency as erp_currency_id,
        {{ dbt.cast('exchangerate', fx_rate_type()) }} as exchange_rate,
        {{ to_money('foreigntotal') }} as total,
        {{ to_money('foreignamountpaid') }} as amount_paid,
        {{ to_money('foreignamountunpaid') }} as amount_unpaid,
        nullif(trim(externalid), '') as external_id,
        memo,
        coalesce({{ to_boolean('voided') }}, false) as is_voided_flag,
        {{ parse_us_datetime('lastmodifieddate') }} as last_modified_at,
        _q2c_batch_id,
        _dlt_load_id
    from source
),

final as (
    select
        *,
        -- Voided either by the flag or by the per-type 'V' status.
        (is_voided_flag or status_code = 'V') as is_voided
    from renamed
)

select * from final
