{#- Bookings against billing (BOOK-01 .. BOOK-02). -#}
with

engagements as (
    select * from {{ ref('recon_engagement_terms') }}
),

-- Finalised, non-void invoices of each engagement, billed before tax.
billed as (
    select
        psa_project_code,
        sum(subtotal) as billed_subtotal,
        max(finalized_at) as last_finalized_at,
        count(*) as invoices
    from {{ ref('int_billing_invoices_prepared') }}
    where
        status in ('open', 'paid', 'uncollectible')
        and psa_project_code is not null
    group by psa_project_code
),

-- The cap: Amount for fixed-fee engagements, else Not_To_Exceed__c (none when empty).
capped as (
    select
        g.*,
        b.billed_subtotal,
        b.last_finalized_at,
        case when g.is_fixed_fee then g.contract_amount else g.not_to_exceed end as cap
    from engagements as g
    inner join billed as b on g.psa_project_code = b.psa_project_code
    where g.opportunity_id is not null
),

book_01 as (
    select
        {{ recon_finding('BOOK-01', 'crm_opportunity', 'c.opportunity_id',
            crm_account_id='c.crm_account_id',
            crm_opportunity_id='c.opportunity_id',
            psa_project_code='c.psa_project_code',
            expected="case when c.is_fixed_fee then 'fixed fee ' else 'not to exceed ' end || " ~ recon_amount_text('c.cap'),
            actual="'billed ' || " ~ recon_amount_text('c.billed_subtotal'),
            currency_code='c.currency_code',
            amount_at_risk='c.billed_subtotal - c.cap',
            event_date='c.last_finalized_at',
            explanation="'Engagement ' || c.psa_project_code || ' has billed more than its ' || case when c.is_fixed_fee then 'fixed fee' else 'not-to-exceed amount' end") }}
    from capped as c
    where
        c.cap is not null
        and c.billed_subtotal > c.cap
        and not coalesce({{ amounts_agree('c.billed_subtotal', 'c.cap') }}, false)
),

won_opportunities as (
    select
        opportunity_id,
        crm_account_id,
        opportunity_name,
        close_date,
        psa_project_code,
        currency_code
    from {{ ref('int_opportunities_prepared') }}
    where
        is_live
        and is_won
        and {{ older_than_days('close_date', recon_days('grace_days')) }}
),

-- An empty PSA_Project_Code__c names no project and no job.
missing_delivery as (
    select
        o.*,
        not coalesce(g.has_psa_project, false) as no_psa_project,
        not coalesce(g.has_erp_job, false) as no_erp_job
    from won_opportunities as o
    left join engagements as g on o.psa_project_code = g.psa_project_code
),

book_02 as (
    select
        {{ recon_finding('BOOK-02', 'crm_opportunity', 'o.opportunity_id',
            crm_account_id='o.crm_account_id',
            crm_opportunity_id='o.opportunity_id',
            psa_project_code='o.psa_project_code',
            expected="'a PSA project and an ERP job with code ' || coalesce(o.psa_project_code, '(empty)')",
            actual="substr(case when o.no_psa_project then ', no PSA project' else '' end || case when o.no_erp_job then ', no ERP job' else '' end, 3)",
            event_date='o.close_date',
            explanation="'Won opportunity ' || coalesce(o.opportunity_name, o.opportunity_id) || ' (closed ' || " ~ recon_text('o.close_date') ~ " || ') has ' || substr(case when o.no_psa_project then ', no PSA project' else '' end || case when o.no_erp_job then ', no ERP job' else '' end, 3)") }}
    from missing_delivery as o
    where o.no_psa_project or o.no_erp_job
),

{{ recon_findings_final(['book_01', 'book_02']) }}
