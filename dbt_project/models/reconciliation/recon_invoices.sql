{#-
  Invoice status drift (INV-01 .. INV-09). A billing invoice and an ERP invoice match when
  the CustInvc's externalid is the billing invoice id (recon_invoice_matches).
-#}
{%- set grace_days = recon_days('grace_days') -%}
with

billing_invoices as (
    select
        billing_invoice_id,
        billing_customer_id,
        status,
        currency_code,
        subtotal_minor,
        tax_minor,
        total_minor,
        amount_remaining_minor,
        lines_amount_minor,
        total,
        amount_paid,
        amount_remaining,
        finalized_at,
        paid_at,
        voided_at,
        marked_uncollectible_at,
        psa_project_code
    from {{ ref('int_billing_invoices_prepared') }}
),

erp_invoices as (
    select
        erp_transaction_id,
        tran_id,
        erp_customer_id,
        currency_code,
        total,
        billing_invoice_id,
        tran_date,
        is_void
    from {{ ref('int_erp_invoices_prepared') }}
),

matches as (
    select * from {{ ref('recon_invoice_matches') }}
),

pairs as (
    select
        b.*,
        m.erp_transaction_id,
        m.erp_customer_id,
        m.erp_status,
        m.erp_is_void,
        m.erp_currency_code,
        m.erp_total,
        m.erp_amount_paid,
        m.erp_amount_unpaid,
        m.erp_credit_memo_applied
    from billing_invoices as b
    inner join matches as m on b.billing_invoice_id = m.billing_invoice_id
),

-- Pairs whose ERP side is a live document: a voided ERP invoice's amounts are not compared.
live_pairs as (
    select
        *,
        (erp_status = 'open' or erp_amount_unpaid > 0) as erp_is_open
    from pairs
    where not erp_is_void
),

inv_01 as (
    select
        {{ recon_finding('INV-01', 'billing_invoice', 'b.billing_invoice_id',
            billing_customer_id='b.billing_customer_id',
            billing_invoice_id='b.billing_invoice_id',
            psa_project_code='b.psa_project_code',
            expected="'an ERP invoice with externalid ' || b.billing_invoice_id",
            actual="'none, ' || " ~ recon_text(age_in_days('b.finalized_at')) ~ " || ' days after finalisation'",
            currency_code='b.currency_code',
            amount_at_risk='b.total',
            event_date='b.finalized_at',
            explanation="'Finalised ' || b.status || ' billing invoice ' || b.billing_invoice_id || ' has no ERP invoice'") }}
    from billing_invoices as b
    where
        b.status in ('open', 'paid', 'uncollectible')
        and {{ older_than_days('b.finalized_at', grace_days) }}
        and not exists (
            select 1 from erp_invoices as e
            where e.billing_invoice_id = b.billing_invoice_id
        )
),

inv_02 as (
    select
        {{ recon_finding('INV-02', 'erp_transaction', 'e.erp_transaction_id',
            erp_customer_id='e.erp_customer_id',
            erp_transaction_id='e.erp_transaction_id',
            billing_invoice_id='e.billing_invoice_id',
            expected="'a billing invoice with id ' || coalesce(e.billing_invoice_id, '(empty externalid)')",
            actual="'none'",
            currency_code='e.currency_code',
            amount_at_risk='e.total',
            event_date='e.tran_date',
            explanation="'ERP invoice ' || coalesce(e.tran_id, e.erp_transaction_id) || ' matches no billing invoice'") }}
    from erp_invoices as e
    where
        not e.is_void
        and not exists (
            select 1 from billing_invoices as b
            where b.billing_invoice_id = e.billing_invoice_id
        )
),

inv_03 as (
    select
        {{ recon_finding('INV-03', 'billing_invoice', 'p.billing_invoice_id',
            erp_customer_id='p.erp_customer_id',
            erp_transaction_id='p.erp_transaction_id',
            billing_customer_id='p.billing_customer_id',
            billing_invoice_id='p.billing_invoice_id',
            psa_project_code='p.psa_project_code',
            expected="'billing total ' || " ~ recon_amount_text('p.total') ~ " || ' ' || p.currency_code",
            actual="'ERP total ' || coalesce(" ~ recon_amount_text('p.erp_total') ~ ", '(empty)') || ' ' || coalesce(p.erp_currency_code, '(empty)')",
            currency_code='p.currency_code',
            amount_at_risk='case when p.currency_code = p.erp_currency_code then abs(p.total - p.erp_total) end',
            event_date='p.finalized_at',
            explanation="'Billing invoice ' || p.billing_invoice_id || ' and its ERP invoice differ in ' || case when p.currency_code is distinct from p.erp_currency_code then 'currency' else 'total' end") }}
    from live_pairs as p
    where
        p.currency_code is distinct from p.erp_currency_code
        or not coalesce({{ amounts_agree('p.total', 'p.erp_total') }}, false)
),

-- Paid on one side, open on the other (before the grace condition of the billing side).
payment_status_drift as (
    select
        p.*,
        p.status = 'paid' and p.erp_is_open as paid_in_billing_open_in_erp,
        p.erp_status = 'paid_in_full' and p.status = 'open' as paid_in_erp_open_in_billing
    from live_pairs as p
),

inv_04 as (
    select
        {{ recon_finding('INV-04', 'billing_invoice', 'p.billing_invoice_id',
            erp_customer_id='p.erp_customer_id',
            erp_transaction_id='p.erp_transaction_id',
            billing_customer_id='p.billing_customer_id',
            billing_invoice_id='p.billing_invoice_id',
            psa_project_code='p.psa_project_code',
            expected="case when p.paid_in_billing_open_in_erp then 'paid in full in the ERP' else 'paid in billing' end",
            actual="case when p.paid_in_billing_open_in_erp then 'ERP ' || coalesce(p.erp_status, '') || ', unpaid ' || coalesce(" ~ recon_amount_text('p.erp_amount_unpaid') ~ ", '(empty)') else 'billing ' || p.status end",
            currency_code='p.currency_code',
            amount_at_risk='case when p.paid_in_billing_open_in_erp then p.erp_amount_unpaid else p.amount_remaining end',
            event_date='case when p.paid_in_billing_open_in_erp then p.paid_at else p.finalized_at end',
            explanation="'Billing invoice ' || p.billing_invoice_id || case when p.paid_in_billing_open_in_erp then ' is paid in billing but still open in the ERP' else ' is paid in full in the ERP but still open in billing' end") }}
    from payment_status_drift as p
    where
        (p.paid_in_billing_open_in_erp and {{ older_than_days('p.paid_at', grace_days) }})
        or p.paid_in_erp_open_in_billing
),

-- "Covered by applied credit memos": credit memos applied make up what payments left open.
inv_05 as (
    select
        {{ recon_finding('INV-05', 'billing_invoice', 'p.billing_invoice_id',
            erp_customer_id='p.erp_customer_id',
            erp_transaction_id='p.erp_transaction_id',
            billing_customer_id='p.billing_customer_id',
            billing_invoice_id='p.billing_invoice_id',
            psa_project_code='p.psa_project_code',
            expected="'ERP invoice voided or credited (billing ' || p.status || ')'",
            actual="'ERP ' || coalesce(p.erp_status, '') || ', unpaid ' || coalesce(" ~ recon_amount_text('p.erp_amount_unpaid') ~ ", '(empty)') || ', credit memos applied ' || " ~ recon_amount_text('coalesce(p.erp_credit_memo_applied, 0)'),
            currency_code='p.erp_currency_code',
            amount_at_risk='p.erp_amount_unpaid',
            event_date="case when p.status = 'void' then p.voided_at else p.marked_uncollectible_at end",
            explanation="'Billing invoice ' || p.billing_invoice_id || ' is ' || p.status || ' in billing but its ERP invoice is still open'") }}
    from live_pairs as p
    where
        p.status in ('void', 'uncollectible')
        and p.erp_is_open
        and coalesce(p.erp_credit_memo_applied, 0) < (
            p.erp_total
            - coalesce(p.erp_amount_paid, 0)
            - greatest(
                {{ recon_decimal('amount_tolerance_abs') }},
                {{ recon_decimal('amount_tolerance_pct') }} * abs(p.erp_total)
            )
        )
),

-- A paid/open disagreement is INV-04's defect; INV-06 covers partial payments only.
inv_06 as (
    select
        {{ recon_finding('INV-06', 'billing_invoice', 'p.billing_invoice_id',
            erp_customer_id='p.erp_customer_id',
            erp_transaction_id='p.erp_transaction_id',
            billing_customer_id='p.billing_customer_id',
            billing_invoice_id='p.billing_invoice_id',
            psa_project_code='p.psa_project_code',
            expected="'billing amount_paid ' || " ~ recon_amount_text('p.amount_paid'),
            actual="'ERP amount paid ' || coalesce(" ~ recon_amount_text('p.erp_amount_paid') ~ ", '(empty)')",
            currency_code='p.currency_code',
            amount_at_risk='abs(coalesce(p.amount_paid, 0) - coalesce(p.erp_amount_paid, 0))',
            event_date='p.finalized_at',
            explanation="'Partial payment of billing invoice ' || p.billing_invoice_id || ' differs between billing and the ERP'") }}
    from payment_status_drift as p
    where
        ((p.amount_paid > 0 and p.amount_paid < p.total) or (p.erp_amount_paid > 0 and p.erp_amount_paid < p.erp_total))
        and not coalesce({{ amounts_agree('coalesce(p.amount_paid, 0)', 'coalesce(p.erp_amount_paid, 0)') }}, false)
        and not coalesce(p.paid_in_billing_open_in_erp, false)
        and not coalesce(p.paid_in_erp_open_in_billing, false)
),

credit_notes as (
    select * from {{ ref('int_credit_notes_prepared') }}
),

-- ERP credit memo per billing credit note: the non-voided one first, then the latest.
erp_credit_memos as (
    select
        external_id,
        erp_transaction_id,
        erp_customer_id,
        total,
        currency_code,
        row_number() over (
            partition by external_id
            order by case when is_voided then 1 else 0 end, created_on desc, erp_transaction_id desc
        ) as preference
    from credit_notes
    where source_system = 'erp' and external_id is not null
),

inv_07 as (
    select
        {{ recon_finding('INV-07', 'billing_credit_note', 'c.billing_credit_note_id',
            erp_customer_id='m.erp_customer_id',
            erp_transaction_id='m.erp_transaction_id',
            billing_customer_id='c.billing_customer_id',
            billing_invoice_id='c.billing_invoice_id',
            billing_credit_note_id='c.billing_credit_note_id',
            expected="'ERP credit memo of ' || " ~ recon_amount_text('c.total') ~ " || ' ' || c.currency_code",
            actual="case when m.erp_transaction_id is null then 'none' else 'ERP credit memo ' || m.erp_transaction_id || ' of ' || coalesce(" ~ recon_amount_text('m.total') ~ ", '(empty)') end",
            currency_code='c.currency_code',
            amount_at_risk='case when m.erp_transaction_id is null then c.total else abs(c.total - m.total) end',
            event_date='c.created_at',
            explanation="'Issued credit note ' || c.billing_credit_note_id || case when m.erp_transaction_id is null then ' has no ERP credit memo' else ' differs in amount from its ERP credit memo' end") }}
    from credit_notes as c
    left join erp_credit_memos as m
        on c.billing_credit_note_id = m.external_id and m.preference = 1
    where
        c.source_system = 'billing'
        and c.status = 'issued'
        and (m.erp_transaction_id is null or not coalesce({{ amounts_agree('c.total', 'm.total') }}, false))
),

-- Inside one document: compared in minor units, more than one minor unit is a defect.
billing_arithmetic as (
    select
        b.*,
        {{ minor_units_differ('b.total_minor', 'b.subtotal_minor + coalesce(b.tax_minor, 0)') }} as total_off,
        {{ minor_units_differ('b.subtotal_minor', 'coalesce(b.lines_amount_minor, 0)') }} as subtotal_off,
        (b.status = 'paid' and b.amount_remaining_minor > 0) as paid_with_remaining
    from billing_invoices as b
),

-- NetSuite stores an invoice's income and tax lines with the sign opposite to the header,
-- staging may or may not flip it: the lines add up when either sign matches the total.
erp_line_sums as (
    select
        erp_transaction_id,
        sum(amount) as lines_amount
    from {{ ref('erp_invoice_lines') }}
    where not coalesce(is_main_line, false)
    group by erp_transaction_id
),

erp_arithmetic as (
    select
        e.*,
        coalesce(s.lines_amount, 0) as lines_amount,
        {{ major_to_minor('e.total', 'e.currency_code') }} as total_minor,
        {{ major_to_minor('coalesce(s.lines_amount, 0)', 'e.currency_code') }} as lines_minor
    from erp_invoices as e
    left join erp_line_sums as s on e.erp_transaction_id = s.erp_transaction_id
),

-- INV-08: billing invoices and ERP invoices that do not add up inside their own system.
inv_08 as (
    select
        {{ recon_finding('INV-08', 'billing_invoice', 'b.billing_invoice_id',
            billing_customer_id='b.billing_customer_id',
            billing_invoice_id='b.billing_invoice_id',
            psa_project_code='b.psa_project_code',
            expected="'total = subtotal + tax, subtotal = sum of lines, nothing remaining when paid'",
            actual="substr(''"
                ~ " || case when b.total_off then '; total ' || " ~ recon_text('b.total_minor') ~ " || ' <> subtotal + tax ' || " ~ recon_text('b.subtotal_minor + coalesce(b.tax_minor, 0)') ~ " else '' end"
                ~ " || case when b.subtotal_off then '; subtotal ' || " ~ recon_text('b.subtotal_minor') ~ " || ' <> lines ' || " ~ recon_text('coalesce(b.lines_amount_minor, 0)') ~ " else '' end"
                ~ " || case when b.paid_with_remaining then '; paid with amount_remaining ' || " ~ recon_text('b.amount_remaining_minor') ~ " else '' end"
                ~ ", 3) || ' (minor units)'",
            currency_code='b.currency_code',
            amount_at_risk=minor_to_major('greatest('
                ~ 'case when b.total_off then abs(b.total_minor - b.subtotal_minor - coalesce(b.tax_minor, 0)) else 0 end, '
                ~ 'case when b.subtotal_off then abs(b.subtotal_minor - coalesce(b.lines_amount_minor, 0)) else 0 end, '
                ~ 'case when b.paid_with_remaining then b.amount_remaining_minor else 0 end)', 'b.currency_code'),
            event_date='b.finalized_at',
            explanation="'Billing invoice ' || b.billing_invoice_id || ' does not add up'") }}
    from billing_arithmetic as b
    where b.total_off or b.subtotal_off or b.paid_with_remaining

    union all

    select
        {{ recon_finding('INV-08', 'erp_transaction', 'e.erp_transaction_id',
            erp_customer_id='e.erp_customer_id',
            erp_transaction_id='e.erp_transaction_id',
            billing_invoice_id='e.billing_invoice_id',
            expected="'foreigntotal = sum of non-main lines: ' || " ~ recon_amount_text('abs(e.lines_amount)'),
            actual="'foreigntotal ' || coalesce(" ~ recon_amount_text('e.total') ~ ", '(empty)')",
            currency_code='e.currency_code',
            amount_at_risk='abs(abs(e.total) - abs(e.lines_amount))',
            event_date='e.tran_date',
            explanation="'ERP invoice ' || coalesce(e.tran_id, e.erp_transaction_id) || ' total does not equal the sum of its lines'") }}
    from erp_arithmetic as e
    where
        {{ minor_units_differ('e.total_minor', 'e.lines_minor') }}
        and {{ minor_units_differ('e.total_minor', '-e.lines_minor') }}
),

-- ERP customers of each CRM account (Mapping), any status.
erp_links as (
    select * from {{ ref('recon_erp_customer_links') }}
),

billing_customers as (
    select
        billing_customer_id,
        crm_account_id
    from {{ ref('int_billing_customers_prepared') }}
),

inv_09 as (
    select
        {{ recon_finding('INV-09', 'billing_invoice', 'p.billing_invoice_id',
            crm_account_id='bc.crm_account_id',
            erp_customer_id='p.erp_customer_id',
            erp_transaction_id='p.erp_transaction_id',
            billing_customer_id='p.billing_customer_id',
            billing_invoice_id='p.billing_invoice_id',
            psa_project_code='p.psa_project_code',
            expected="'ERP customer of account ' || bc.crm_account_id || ': ' || (select " ~ dbt.listagg('distinct l.erp_customer_id', "', '") ~ " from erp_links as l where l.crm_account_id = bc.crm_account_id)",
            actual="'entity ' || coalesce(p.erp_customer_id, '(empty)')",
            currency_code='p.currency_code',
            amount_at_risk='p.erp_total',
            event_date='p.finalized_at',
            explanation="'ERP invoice of billing invoice ' || p.billing_invoice_id || ' is booked to a customer other than the account''s ERP customer'") }}
    from pairs as p
    inner join billing_customers as bc on p.billing_customer_id = bc.billing_customer_id
    where
        bc.crm_account_id is not null
        and exists (
            select 1 from erp_links as l
            where l.crm_account_id = bc.crm_account_id
        )
        and not exists (
            select 1 from erp_links as l
            where l.crm_account_id = bc.crm_account_id and l.erp_customer_id = p.erp_customer_id
        )
),

{{ recon_findings_final(['inv_01', 'inv_02', 'inv_03', 'inv_04', 'inv_05', 'inv_06', 'inv_07', 'inv_08', 'inv_09']) }}
