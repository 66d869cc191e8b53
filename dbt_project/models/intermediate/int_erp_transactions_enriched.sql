{#- NetSuite transactions with their currency code and their job's project code. -#}
with

transactions as (
    select * from {{ ref('stg_erp__transactions') }}
),

currencies as (
    select * from {{ ref('stg_erp__currencies') }}
),

jobs as (
    select
        erp_job_id,
        psa_project_code
    from {{ ref('stg_erp__jobs') }}
),

final as (
    select
        transactions.*,
        currencies.currency_code,
        jobs.psa_project_code
    from transactions
    left join currencies
        on transactions.erp_currency_id = currencies.erp_currency_id
    left join jobs
        on transactions.erp_job_id = jobs.erp_job_id
)

select * from final
