with

engagements as (
    select * from {{ ref('int_engagements_joined') }}
),

final as (
    select
        psa_project_code,
        opportunity_id,
        crm_account_id,
        billing_type,
        is_fixed_fee,
        currency_code,
        contract_amount,
        not_to_exceed,
        close_date,
        psa_project_id,
        psa_client_id,
        psa_client_currency_code,
        project_is_active,
        project_is_billable,
        project_is_fixed_fee,
        starts_on,
        ends_on,
        erp_job_id,
        erp_customer_id,
        erp_job_billing_type,
        has_opportunity,
        has_psa_project,
        has_erp_job,
        cast(opportunity_count as {{ dbt.type_bigint() }}) as opportunity_count,
        cast(psa_project_count as {{ dbt.type_bigint() }}) as psa_project_count,
        cast(erp_job_count as {{ dbt.type_bigint() }}) as erp_job_count
    from engagements
)

select * from final
