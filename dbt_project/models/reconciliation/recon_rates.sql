{#-
  Rates (RATE-01 .. RATE-05). The contracted rate of a time entry is the hourly rate of the
  engagement opportunity's line item for the user's primary role whose effective period
  (ServiceDate .. Rate_End_Date__c, inclusive, open when empty) contains the date.
  Fixed-fee engagements have no hourly-rate rules (RATE-01..03).
-#}
with

engagements as (
    select * from {{ ref('recon_engagement_terms') }}
),

rate_cards as (
    select
        opportunity_id,
        role_name,
        hourly_rate,
        effective_from,
        effective_to
    from {{ ref('rate_cards') }}
),

time_entries as (
    select
        t.time_entry_id,
        t.spent_date,
        t.hours,
        t.approval_status,
        t.is_billable,
        t.billable_rate,
        t.user_id,
        t.primary_role,
        t.client_currency_code as currency_code,
        t.psa_project_id,
        t.psa_project_code,
        t.user_assignment_is_active
    from {{ ref('int_time_entries_prepared') }} as t
),

-- Approved billable time on a T&M engagement, with every contracted rate in effect.
tm_time as (
    select
        t.*,
        g.opportunity_id,
        g.crm_account_id
    from time_entries as t
    inner join engagements as g on t.psa_project_code = g.psa_project_code
    where
        t.approval_status = 'approved'
        and t.is_billable
        and not g.is_fixed_fee
),

tm_time_rates as (
    select
        t.time_entry_id,
        count(r.hourly_rate) as rates_in_effect,
        min(r.hourly_rate) as contracted_rate,
        max(r.hourly_rate) as max_contracted_rate,
        sum(case when {{ amounts_agree('t.billable_rate', 'r.hourly_rate') }} then 1 else 0 end) as agreeing_rates
    from tm_time as t
    left join rate_cards as r
        on
            t.opportunity_id = r.opportunity_id
            and t.primary_role = r.role_name
            and (r.effective_from is null or t.spent_date >= r.effective_from)
            and (r.effective_to is null or t.spent_date <= r.effective_to)
    group by t.time_entry_id
),

rated_time as (
    select
        t.*,
        r.rates_in_effect,
        r.contracted_rate,
        r.max_contracted_rate,
        r.agreeing_rates
    from tm_time as t
    inner join tm_time_rates as r on t.time_entry_id = r.time_entry_id
),

rate_01 as (
    select
        {{ recon_finding('RATE-01', 'psa_time_entry', 't.time_entry_id',
            crm_account_id='t.crm_account_id',
            crm_opportunity_id='t.opportunity_id',
            psa_project_code='t.psa_project_code',
            psa_time_entry_id='t.time_entry_id',
            expected="'contracted rate ' || " ~ recon_amount_text('t.contracted_rate') ~ " || ' (' || coalesce(t.primary_role, '') || ')'",
            actual="'billable_rate ' || " ~ recon_amount_text('t.billable_rate'),
            currency_code='t.currency_code',
            amount_at_risk='abs(t.billable_rate - t.contracted_rate) * t.hours',
            event_date='t.spent_date',
            explanation="'Time entry ' || t.time_entry_id || ' on ' || t.psa_project_code || ' is billed at a rate other than the contracted rate for ' || coalesce(t.primary_role, '(no role)')") }}
    from rated_time as t
    where
        t.billable_rate > 0
        and t.rates_in_effect > 0
        and t.agreeing_rates = 0
),

-- Never also RATE-01: that needs a positive rate and a contracted rate in effect.
rate_03 as (
    select
        {{ recon_finding('RATE-03', 'psa_time_entry', 't.time_entry_id',
            crm_account_id='t.crm_account_id',
            crm_opportunity_id='t.opportunity_id',
            psa_project_code='t.psa_project_code',
            psa_time_entry_id='t.time_entry_id',
            expected="case when t.rates_in_effect = 0 then 'a contracted rate for ' || coalesce(t.primary_role, '(no primary role)') || ' in effect on ' || " ~ recon_text('t.spent_date') ~ " else 'billable_rate ' || " ~ recon_amount_text('t.contracted_rate') ~ " end",
            actual="case when t.rates_in_effect = 0 then 'no contracted rate in effect' else 'billable_rate ' || coalesce(" ~ recon_amount_text('t.billable_rate') ~ ", '(empty)') end"
                ~ " || case when t.rates_in_effect = 0 and coalesce(t.billable_rate, 0) = 0 then '; billable_rate ' || coalesce(" ~ recon_amount_text('t.billable_rate') ~ ", '(empty)') else '' end",
            currency_code='t.currency_code',
            amount_at_risk='t.hours * coalesce(nullif(t.billable_rate, 0), t.contracted_rate)',
            event_date='t.spent_date',
            explanation="'Approved billable time entry ' || t.time_entry_id || ' on ' || t.psa_project_code || case when t.rates_in_effect = 0 then ' has no contracted rate in effect for its role' else ' has no billable rate' end") }}
    from rated_time as t
    where
        t.billable_rate is null
        or t.billable_rate = 0
        or t.rates_in_effect = 0
),

invoices as (
    select
        billing_invoice_id,
        billing_customer_id,
        status,
        currency_code,
        psa_project_code,
        finalized_at
    from {{ ref('int_billing_invoices_prepared') }}
),

-- Invoice lines with a project code and a role on non-void invoices of T&M engagements.
role_lines as (
    select
        l.billing_invoice_line_id,
        l.billing_invoice_id,
        i.billing_customer_id,
        i.finalized_at,
        coalesce(l.currency_code, i.currency_code) as currency_code,
        l.quantity,
        l.unit_amount,
        l.period_start_date,
        l.psa_project_code,
        l.role_name,
        g.opportunity_id,
        g.crm_account_id
    from {{ ref('int_billing_invoice_lines_prepared') }} as l
    inner join invoices as i on l.billing_invoice_id = i.billing_invoice_id
    inner join engagements as g on l.psa_project_code = g.psa_project_code
    where
        l.has_project_and_role
        and i.status <> 'void'
        and not g.is_fixed_fee
),

role_line_rates as (
    select
        l.billing_invoice_line_id,
        count(r.hourly_rate) as rates_in_effect,
        min(r.hourly_rate) as contracted_rate,
        sum(case when {{ amounts_agree('l.unit_amount', 'r.hourly_rate') }} then 1 else 0 end) as agreeing_rates
    from role_lines as l
    inner join rate_cards as r
        on
            l.opportunity_id = r.opportunity_id
            and l.role_name = r.role_name
            and (r.effective_from is null or l.period_start_date >= r.effective_from)
            and (r.effective_to is null or l.period_start_date <= r.effective_to)
    group by l.billing_invoice_line_id
),

rate_02 as (
    select
        {{ recon_finding('RATE-02', 'billing_invoice_line', 'l.billing_invoice_line_id',
            crm_account_id='l.crm_account_id',
            crm_opportunity_id='l.opportunity_id',
            billing_customer_id='l.billing_customer_id',
            billing_invoice_id='l.billing_invoice_id',
            billing_invoice_line_id='l.billing_invoice_line_id',
            psa_project_code='l.psa_project_code',
            expected="'contracted rate ' || " ~ recon_amount_text('r.contracted_rate') ~ " || ' (' || l.role_name || ')'",
            actual="'unit price ' || coalesce(" ~ recon_amount_text('l.unit_amount') ~ ", '(empty)')",
            currency_code='l.currency_code',
            amount_at_risk='abs(l.unit_amount - r.contracted_rate) * l.quantity',
            event_date='l.finalized_at',
            explanation="'Invoice line ' || l.billing_invoice_line_id || ' prices ' || l.role_name || ' on ' || l.psa_project_code || ' other than the contracted rate in effect on ' || " ~ recon_text('l.period_start_date')) }}
    from role_lines as l
    inner join role_line_rates as r on l.billing_invoice_line_id = r.billing_invoice_line_id
    where r.agreeing_rates = 0
),

psa_projects as (
    select
        psa_project_id,
        psa_project_code,
        project_name,
        psa_client_currency_code as client_currency_code,
        is_active,
        starts_on,
        ends_on
    from {{ ref('int_psa_projects_prepared') }}
),

-- Currencies that differ from the engagement's (opportunity) currency; case-insensitive.
currency_mismatches as (
    select
        p.psa_project_id,
        'PSA client ' || p.client_currency_code as mismatch,
        cast(null as {{ dbt.type_string() }}) as billing_invoice_id
    from psa_projects as p
    inner join engagements as g on p.psa_project_code = g.psa_project_code
    where
        g.opportunity_id is not null
        and {{ currency_codes_differ('p.client_currency_code', 'g.currency_code') }}

    union all

    select
        p.psa_project_id,
        'billing invoice ' || i.billing_invoice_id || ' ' || i.currency_code as mismatch,
        i.billing_invoice_id
    from psa_projects as p
    inner join engagements as g on p.psa_project_code = g.psa_project_code
    inner join invoices as i on p.psa_project_code = i.psa_project_code
    where
        g.opportunity_id is not null
        and {{ currency_codes_differ('i.currency_code', 'g.currency_code') }}
),

rate_04_projects as (
    select
        psa_project_id,
        min(billing_invoice_id) as billing_invoice_id,
        {{ dbt.listagg('mismatch', "'; '", 'order by mismatch') }} as mismatches
    from currency_mismatches
    group by psa_project_id
),

rate_04 as (
    select
        {{ recon_finding('RATE-04', 'psa_project', 'p.psa_project_id',
            crm_account_id='g.crm_account_id',
            crm_opportunity_id='g.opportunity_id',
            billing_invoice_id='m.billing_invoice_id',
            psa_project_code='p.psa_project_code',
            expected="'engagement currency ' || g.currency_code",
            actual='m.mismatches',
            currency_code='g.currency_code',
            explanation="'Engagement ' || p.psa_project_code || ' is in ' || g.currency_code || ' but ' || m.mismatches") }}
    from rate_04_projects as m
    inner join psa_projects as p on m.psa_project_id = p.psa_project_id
    inner join engagements as g on p.psa_project_code = g.psa_project_code
),

-- Billable time (any approval status) outside the project's dates, on an inactive
-- project, or on an assignment the entry records as inactive.
time_outside_project as (
    select
        t.*,
        p.starts_on,
        p.ends_on,
        t.spent_date < p.starts_on as before_start,
        t.spent_date > p.ends_on as after_end,
        not coalesce(p.is_active, true) as project_inactive,
        coalesce(t.user_assignment_is_active = false, false) as assignment_inactive
    from time_entries as t
    inner join psa_projects as p on t.psa_project_id = p.psa_project_id
    where t.is_billable
),

rate_05 as (
    select
        {{ recon_finding('RATE-05', 'psa_time_entry', 't.time_entry_id',
            psa_project_code='t.psa_project_code',
            psa_time_entry_id='t.time_entry_id',
            expected="'dated within ' || coalesce(" ~ recon_text('t.starts_on') ~ ", '(open)') || ' .. ' || coalesce(" ~ recon_text('t.ends_on') ~ ", '(open)') || ' on an active project and assignment'",
            actual="'spent ' || " ~ recon_text('t.spent_date')
                ~ " || case when coalesce(t.before_start, false) then '; before project start' else '' end"
                ~ " || case when coalesce(t.after_end, false) then '; after project end' else '' end"
                ~ " || case when t.project_inactive then '; project inactive' else '' end"
                ~ " || case when t.assignment_inactive then '; assignment inactive' else '' end",
            currency_code='t.currency_code',
            amount_at_risk='t.hours * t.billable_rate',
            event_date='t.spent_date',
            explanation="'Billable time entry ' || t.time_entry_id || ' on ' || coalesce(t.psa_project_code, '(no code)') || ' is outside the project dates or on an inactive project or assignment'") }}
    from time_outside_project as t
    where
        coalesce(t.before_start, false)
        or coalesce(t.after_end, false)
        or t.project_inactive
        or t.assignment_inactive
),

{{ recon_findings_final(['rate_01', 'rate_02', 'rate_03', 'rate_04', 'rate_05']) }}
