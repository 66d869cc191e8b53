{#- Unbilled time and expenses (UNB-01 .. UNB-05). -#}
{%- set unbilled_age_days = recon_days('unbilled_age_days') -%}
with

engagements as (
    select * from {{ ref('recon_engagement_terms') }}
),

psa_projects as (
    select
        psa_project_id,
        psa_project_code,
        is_billable,
        is_fixed_fee
    from {{ ref('int_psa_projects_prepared') }}
),

billing_invoices as (
    select
        billing_invoice_id,
        billing_customer_id,
        status,
        finalized_at
    from {{ ref('int_billing_invoices_prepared') }}
),

time_entries as (
    select
        t.time_entry_id,
        t.spent_date,
        t.hours,
        t.approval_status,
        t.is_billable,
        t.is_billed,
        t.billable_rate,
        t.primary_role,
        t.client_currency_code as currency_code,
        t.psa_project_id,
        t.psa_project_code,
        t.billing_invoice_id,
        {{ age_in_days('t.spent_date') }} as age_days
    from {{ ref('int_time_entries_prepared') }} as t
),

expenses as (
    select
        expense_id,
        spent_date,
        total_cost,
        approval_status,
        is_billable,
        is_billed,
        client_currency_code as currency_code,
        psa_project_code,
        billing_invoice_id,
        {{ age_in_days('spent_date') }} as age_days
    from {{ ref('int_expenses_prepared') }}
),

-- Approved billable time on a billable T&M project, not invoiced, older than N days.
unbilled_time as (
    select
        t.*,
        g.opportunity_id,
        g.crm_account_id
    from time_entries as t
    inner join psa_projects as p on t.psa_project_id = p.psa_project_id
    left join engagements as g on t.psa_project_code = g.psa_project_code
    where
        t.approval_status = 'approved'
        and t.is_billable
        and coalesce(p.is_billable, false)
        and not coalesce(g.is_fixed_fee, p.is_fixed_fee, false)
        and t.billing_invoice_id is null
        and not t.is_billed
        and t.age_days > {{ unbilled_age_days }}
),

unb_01 as (
    select
        {{ recon_finding('UNB-01', 'psa_time_entry', 't.time_entry_id',
            crm_account_id='t.crm_account_id',
            crm_opportunity_id='t.opportunity_id',
            psa_project_code='t.psa_project_code',
            psa_time_entry_id='t.time_entry_id',
            expected="'invoiced within " ~ unbilled_age_days ~ " days of spent_date'",
            actual="'not invoiced after ' || " ~ recon_text('t.age_days') ~ " || ' days'",
            currency_code='t.currency_code',
            amount_at_risk='t.hours * t.billable_rate',
            event_date='t.spent_date',
            explanation="'Approved billable time entry ' || t.time_entry_id || ' on ' || t.psa_project_code || ' (' || " ~ recon_text('t.spent_date') ~ " || ') is not invoiced after ' || " ~ recon_text('t.age_days') ~ " || ' days'") }}
    from unbilled_time as t
),

-- Marked billed without a usable invoice: none, unknown to billing, or draft/void.
billed_documents as (
    select
        'psa_time_entry' as subject_type,
        time_entry_id as document_id,
        psa_project_code,
        spent_date,
        is_billed,
        billing_invoice_id,
        currency_code,
        hours * billable_rate as amount
    from time_entries
    union all
    select
        'psa_expense' as subject_type,
        expense_id as document_id,
        psa_project_code,
        spent_date,
        is_billed,
        billing_invoice_id,
        currency_code,
        total_cost as amount
    from expenses
),

billed_without_invoice as (
    select
        d.*,
        i.billing_customer_id,
        case
            when d.billing_invoice_id is null then 'is_billed = true but no invoice'
            when i.billing_invoice_id is null then 'invoice ' || d.billing_invoice_id || ' unknown to billing'
            else 'invoice ' || d.billing_invoice_id || ' is ' || i.status
        end as problem
    from billed_documents as d
    left join billing_invoices as i on d.billing_invoice_id = i.billing_invoice_id
    where
        (d.is_billed and d.billing_invoice_id is null)
        or (d.billing_invoice_id is not null and i.billing_invoice_id is null)
        or i.status in ('draft', 'void')
),

-- UNB-02: time entries and expenses marked billed without a valid invoice.
unb_02 as (
    select
        {{ recon_finding('UNB-02', 'psa_time_entry', 'd.document_id',
            billing_customer_id='d.billing_customer_id',
            billing_invoice_id='d.billing_invoice_id',
            psa_project_code='d.psa_project_code',
            psa_time_entry_id='d.document_id',
            expected="'a finalised billing invoice'",
            actual='d.problem',
            currency_code='d.currency_code',
            amount_at_risk='d.amount',
            event_date='d.spent_date',
            explanation="'Time entry ' || d.document_id || ' is marked billed but ' || d.problem") }}
    from billed_without_invoice as d
    where d.subject_type = 'psa_time_entry'

    union all

    select
        {{ recon_finding('UNB-02', 'psa_expense', 'd.document_id',
            billing_customer_id='d.billing_customer_id',
            billing_invoice_id='d.billing_invoice_id',
            psa_project_code='d.psa_project_code',
            psa_expense_id='d.document_id',
            expected="'a finalised billing invoice'",
            actual='d.problem',
            currency_code='d.currency_code',
            amount_at_risk='d.amount',
            event_date='d.spent_date',
            explanation="'Expense ' || d.document_id || ' is marked billed but ' || d.problem") }}
    from billed_without_invoice as d
    where d.subject_type = 'psa_expense'
),

unb_03 as (
    select
        {{ recon_finding('UNB-03', 'psa_time_entry', 't.time_entry_id',
            psa_project_code='t.psa_project_code',
            psa_time_entry_id='t.time_entry_id',
            expected="'approved within " ~ recon_days('approval_backlog_days') ~ " days of spent_date'",
            actual="t.approval_status || ' after ' || " ~ recon_text('t.age_days') ~ " || ' days'",
            currency_code='t.currency_code',
            amount_at_risk='t.hours * t.billable_rate',
            event_date='t.spent_date',
            explanation="'Billable time entry ' || t.time_entry_id || ' (' || " ~ recon_text('t.spent_date') ~ " || ') is still ' || t.approval_status") }}
    from time_entries as t
    where
        t.is_billable
        and t.approval_status in ('unsubmitted', 'submitted')
        and t.age_days > {{ recon_days('approval_backlog_days') }}
),

unb_04 as (
    select
        {{ recon_finding('UNB-04', 'psa_expense', 'e.expense_id',
            psa_project_code='e.psa_project_code',
            psa_expense_id='e.expense_id',
            expected="'invoiced within " ~ recon_days('expense_age_days') ~ " days of spent_date'",
            actual="'not invoiced after ' || " ~ recon_text('e.age_days') ~ " || ' days'",
            currency_code='e.currency_code',
            amount_at_risk='e.total_cost',
            event_date='e.spent_date',
            explanation="'Approved billable expense ' || e.expense_id || ' (' || " ~ recon_text('e.spent_date') ~ " || ') is not invoiced after ' || " ~ recon_text('e.age_days') ~ " || ' days'") }}
    from expenses as e
    where
        e.approval_status = 'approved'
        and e.is_billable
        and e.billing_invoice_id is null
        and not e.is_billed
        and e.age_days > {{ recon_days('expense_age_days') }}
),

-- Hours of the time entries billed on an invoice, per project and primary role.
invoiced_hours as (
    select
        billing_invoice_id,
        psa_project_code,
        primary_role,
        sum(hours) as hours
    from time_entries
    where billing_invoice_id is not null
    group by billing_invoice_id, psa_project_code, primary_role
),

role_lines as (
    select
        l.billing_invoice_line_id,
        l.billing_invoice_id,
        i.billing_customer_id,
        i.finalized_at,
        l.currency_code,
        coalesce(l.quantity, 0) as quantity,
        l.unit_amount,
        l.psa_project_code,
        l.role_name,
        coalesce(h.hours, 0) as time_entry_hours
    from {{ ref('int_billing_invoice_lines_prepared') }} as l
    inner join billing_invoices as i on l.billing_invoice_id = i.billing_invoice_id
    left join invoiced_hours as h
        on
            l.billing_invoice_id = h.billing_invoice_id
            and l.psa_project_code = h.psa_project_code
            and l.role_name = h.primary_role
    where
        l.has_project_and_role
        and i.status <> 'void'
),

unb_05 as (
    select
        {{ recon_finding('UNB-05', 'billing_invoice_line', 'l.billing_invoice_line_id',
            billing_customer_id='l.billing_customer_id',
            billing_invoice_id='l.billing_invoice_id',
            billing_invoice_line_id='l.billing_invoice_line_id',
            psa_project_code='l.psa_project_code',
            expected="" ~ recon_text('cast(l.time_entry_hours as ' ~ hours_type() ~ ')') ~ " || ' h of ' || l.role_name || ' time entries on the invoice'",
            actual="" ~ recon_text('cast(l.quantity as ' ~ hours_type() ~ ')') ~ " || ' h on the line'",
            currency_code='l.currency_code',
            amount_at_risk='abs(l.quantity - l.time_entry_hours) * l.unit_amount',
            event_date='l.finalized_at',
            explanation="'Invoice line ' || l.billing_invoice_line_id || ' bills a quantity other than the hours of its ' || l.role_name || ' time entries'") }}
    from role_lines as l
    where abs(l.quantity - l.time_entry_hours) > {{ recon_decimal('quantity_tolerance_hours') }}
),

{{ recon_findings_final(['unb_01', 'unb_02', 'unb_03', 'unb_04', 'unb_05']) }}
