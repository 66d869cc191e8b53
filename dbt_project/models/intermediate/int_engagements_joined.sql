{#-
  One row per project code seen on a live opportunity, a PSA project or an ERP job, with the
  won live opportunity, the PSA project and the ERP job carrying that code. The catalogue says
  one code belongs to one opportunity; where a system has several records for one code, the
  first by the order below is taken and the *_count columns show the duplication.
-#}
with

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
    where is_live
),

projects as (
    select * from {{ ref('stg_psa__projects') }}
),

jobs as (
    select * from {{ ref('stg_erp__jobs') }}
),

codes as (
    select psa_project_code from opportunities
    where psa_project_code is not null
    union
    select psa_project_code from projects
    where psa_project_code is not null
    union
    select psa_project_code from jobs
    where psa_project_code is not null
),

won_opportunities as (
    select
        *,
        row_number() over (partition by psa_project_code order by close_date, opportunity_id) as code_rank,
        count(*) over (partition by psa_project_code) as code_count
    from opportunities
    where is_won and psa_project_code is not null
),

ranked_projects as (
    select
        *,
        row_number() over (
            partition by psa_project_code
            order by case when is_active then 0 else 1 end, psa_project_id
        ) as code_rank,
        count(*) over (partition by psa_project_code) as code_count
    from projects
    where psa_project_code is not null
),

ranked_jobs as (
    select
        *,
        row_number() over (
            partition by psa_project_code
            order by case when is_inactive then 1 else 0 end, erp_job_id
        ) as code_rank,
        count(*) over (partition by psa_project_code) as code_count
    from jobs
    where psa_project_code is not null
),

final as (
    select
        codes.psa_project_code,
        opp.opportunity_id,
        opp.crm_account_id,
        opp.billing_type,
        opp.is_fixed_fee as opportunity_is_fixed_fee,
        opp.currency_code,
        opp.amount as contract_amount,
        opp.not_to_exceed,
        opp.close_date,
        coalesce(opp.code_count, 0) as opportunity_count,
        prj.psa_project_id,
        prj.psa_client_id,
        prj.psa_client_currency_code,
        prj.is_active as project_is_active,
        prj.is_billable as project_is_billable,
        prj.is_fixed_fee as project_is_fixed_fee,
        prj.starts_on,
        prj.ends_on,
        coalesce(prj.code_count, 0) as psa_project_count,
        job.erp_job_id,
        job.erp_customer_id,
        job.job_billing_type as erp_job_billing_type,
        job.is_inactive as erp_job_is_inactive,
        coalesce(job.code_count, 0) as erp_job_count,
        (
            coalesce(opp.is_fixed_fee, false)
            or coalesce(prj.is_fixed_fee, false)
            or coalesce(job.is_fixed_fee, false)
        ) as is_fixed_fee,
        opp.opportunity_id is not null as has_opportunity,
        prj.psa_project_id is not null as has_psa_project,
        job.erp_job_id is not null as has_erp_job
    from codes
    left join won_opportunities as opp
        on codes.psa_project_code = opp.psa_project_code and opp.code_rank = 1
    left join ranked_projects as prj
        on codes.psa_project_code = prj.psa_project_code and prj.code_rank = 1
    left join ranked_jobs as job
        on codes.psa_project_code = job.psa_project_code and job.code_rank = 1
)

select * from final
