with

projects as (
    select * from {{ ref('stg_psa__projects') }}
),

final as (
    select
        psa_project_id,
        psa_project_code,
        project_name,
        psa_client_id,
        psa_client_name,
        psa_client_currency_code,
        is_active,
        is_billable,
        is_fixed_fee,
        bill_by,
        hourly_rate,
        fee,
        starts_on,
        ends_on
    from projects
)

select * from final
