{#- Accounts (ACC-01 .. ACC-06): customers across CRM, ERP and billing. -#}
{%- set grace_days = recon_days('grace_days') -%}
with

accounts as (
    select
        crm_account_id,
        account_name,
        erp_customer_pointer,
        is_live
    from {{ ref('int_crm_accounts_prepared') }}
),

live_accounts as (
    select * from accounts
    where is_live
),

erp_customers as (
    select
        erp_customer_id,
        company_name,
        crm_account_id as externalid,
        currency_code,
        is_inactive,
        is_live
    from {{ ref('int_erp_customers_prepared') }}
),

billing_customers as (
    select
        billing_customer_id,
        customer_name,
        currency_code,
        crm_account_id,
        erp_customer_id
    from {{ ref('int_billing_customers_prepared') }}
    where is_live
),

-- Customer attributes of every system, normalised once (ACC-03); NULL key: stated nothing.
customer_attributes as (
    select
        system,
        customer_id,
        attribute,
        attribute_value,
        attribute_key
    from {{ ref('int_customer_attributes_unpivoted') }}
    where attribute_key is not null
),

erp_links as (
    select * from {{ ref('recon_erp_customer_links') }}
),

live_erp_links as (
    select distinct
        crm_account_id,
        erp_customer_id
    from erp_links
    where is_live
),

-- Open receivables: non-voided CustInvc with foreignamountunpaid > 0.
open_receivables as (
    select
        erp_customer_id,
        currency_code,
        amount_unpaid
    from {{ ref('int_erp_invoices_prepared') }}
    where is_open_receivable
),

won_opportunities as (
    select
        crm_account_id,
        opportunity_id,
        close_date,
        row_number() over (partition by crm_account_id order by close_date, opportunity_id) as oldest_first
    from {{ ref('int_opportunities_prepared') }}
    where
        is_live
        and is_won
        and {{ older_than_days('close_date', grace_days) }}
),

accounts_due_downstream as (
    select
        live_accounts.*,
        won_opportunities.opportunity_id,
        won_opportunities.close_date
    from live_accounts
    inner join won_opportunities
        on
            live_accounts.crm_account_id = won_opportunities.crm_account_id
            and won_opportunities.oldest_first = 1
),

acc_01 as (
    select
        {{ recon_finding('ACC-01', 'crm_account', 'a.crm_account_id',
            crm_account_id='a.crm_account_id',
            crm_opportunity_id='a.opportunity_id',
            expected="'an ERP customer (active or inactive) mapped to the account'",
            actual="'none: ERP_Customer_Id__c ' || coalesce('= ' || a.erp_customer_pointer || ' does not resolve', 'is empty') || ' and no ERP customer has externalid ' || a.crm_account_id",
            event_date='a.close_date',
            explanation="'Won account ' || coalesce(a.account_name, a.crm_account_id) || ' (opportunity closed ' || " ~ recon_text('a.close_date') ~ " || ') has no ERP customer'") }}
    from accounts_due_downstream as a
    where not exists (
        select 1 from erp_links
        where erp_links.crm_account_id = a.crm_account_id
    )
),

acc_02 as (
    select
        {{ recon_finding('ACC-02', 'crm_account', 'a.crm_account_id',
            crm_account_id='a.crm_account_id',
            crm_opportunity_id='a.opportunity_id',
            expected="'a live billing customer with metadata.crm_account_id = ' || a.crm_account_id",
            actual="'none'",
            event_date='a.close_date',
            explanation="'Won account ' || coalesce(a.account_name, a.crm_account_id) || ' (opportunity closed ' || " ~ recon_text('a.close_date') ~ " || ') has no live billing customer'") }}
    from accounts_due_downstream as a
    where not exists (
        select 1 from billing_customers as b
        where b.crm_account_id = a.crm_account_id
    )
),

-- ACC-04 conflicts, one row per conflict found; reported once per account.
key_conflicts as (
    -- ERP_Customer_Id__c points at an ERP customer whose externalid names another account.
    select
        a.crm_account_id,
        e.erp_customer_id,
        cast(null as {{ dbt.type_string() }}) as billing_customer_id,
        'ERP_Customer_Id__c ' || e.erp_customer_id || ' has externalid ' || e.externalid as conflict,
        'erp' as system
    from live_accounts as a
    inner join erp_customers as e on a.erp_customer_pointer = e.erp_customer_id
    where e.externalid is not null and e.externalid <> a.crm_account_id

    union all

    -- Two or more live ERP customers map to the account.
    select
        crm_account_id,
        min(erp_customer_id) as erp_customer_id,
        null as billing_customer_id,
        {{ recon_text("count(*)") }} || ' live ERP customers map to the account: '
        || {{ dbt.listagg('erp_customer_id', "', '", 'order by erp_customer_id') }} as conflict,
        'erp' as system
    from live_erp_links
    where crm_account_id in (select live_accounts.crm_account_id from live_accounts)
    group by crm_account_id
    having count(*) > 1

    union all

    -- Two or more live billing customers map to the account.
    select
        crm_account_id,
        null as erp_customer_id,
        min(billing_customer_id) as billing_customer_id,
        {{ recon_text("count(*)") }} || ' live billing customers map to the account: '
        || {{ dbt.listagg('billing_customer_id', "', '", 'order by billing_customer_id') }} as conflict,
        'billing' as system
    from billing_customers
    where crm_account_id in (select live_accounts.crm_account_id from live_accounts)
    group by crm_account_id
    having count(*) > 1

    union all

    -- A billing customer's erp_customer_id names an ERP customer mapped to other account(s)
    -- only. An ERP customer mapped to no account at all has an empty pointer: no conflict.
    select
        b.crm_account_id,
        b.erp_customer_id,
        b.billing_customer_id,
        'billing customer ' || b.billing_customer_id || ' has erp_customer_id ' || b.erp_customer_id
        || ', an ERP customer of another account' as conflict,
        'billing_erp_pointer' as system
    from billing_customers as b
    inner join live_accounts as a on b.crm_account_id = a.crm_account_id
    where
        b.erp_customer_id is not null
        and exists (
            select 1 from erp_links as l
            where l.erp_customer_id = b.erp_customer_id and l.crm_account_id <> b.crm_account_id
        )
        and not exists (
            select 1 from erp_links as l
            where l.erp_customer_id = b.erp_customer_id and l.crm_account_id = b.crm_account_id
        )
),

acc_04_accounts as (
    select
        crm_account_id,
        min(erp_customer_id) as erp_customer_id,
        min(billing_customer_id) as billing_customer_id,
        {{ dbt.listagg('conflict', "'; '", 'order by conflict') }} as conflicts
    from key_conflicts
    group by crm_account_id
),

acc_04 as (
    select
        {{ recon_finding('ACC-04', 'crm_account', 'c.crm_account_id',
            crm_account_id='c.crm_account_id',
            erp_customer_id='c.erp_customer_id',
            billing_customer_id='c.billing_customer_id',
            expected="'one consistent ERP and billing customer per account'",
            actual='c.conflicts',
            explanation="'Cross-system customer keys conflict for account ' || c.crm_account_id || ': ' || c.conflicts") }}
    from acc_04_accounts as c
),

-- ACC-03 compares an account only with a counterpart the keys name without conflict:
-- differences caused by an ACC-04 key conflict are reported there, not twice.
erp_counterparts as (
    select
        l.crm_account_id,
        min(l.erp_customer_id) as erp_customer_id
    from live_erp_links as l
    inner join live_accounts as a on l.crm_account_id = a.crm_account_id
    where
        l.crm_account_id not in (
            select key_conflicts.crm_account_id from key_conflicts
            where key_conflicts.system = 'erp'
        )
    group by l.crm_account_id
    having count(*) = 1
),

billing_counterparts as (
    select
        b.crm_account_id,
        min(b.billing_customer_id) as billing_customer_id
    from billing_customers as b
    inner join live_accounts as a on b.crm_account_id = a.crm_account_id
    group by b.crm_account_id
    having count(*) = 1
),

counterparts as (
    select
        crm_account_id,
        'erp' as system,
        erp_customer_id as system_customer_id
    from erp_counterparts
    union all
    select
        crm_account_id,
        'billing' as system,
        billing_customer_id as system_customer_id
    from billing_counterparts
),

-- One row per account, attribute and downstream system, in long format: the CRM value against
-- the counterpart's value(s) of the same attribute (billing holds a list of tax ids: CRM's must
-- be one of them). Only two stated values disagree: an attribute one system has not filled in
-- (a Stripe customer's currency stays null until it is first invoiced) is missing data, not
-- drift, and has no row in customer_attributes.
attribute_comparisons as (
    select
        c.crm_account_id,
        crm.attribute,
        c.system,
        case when c.system = 'erp' then c.system_customer_id end as erp_customer_id,
        case when c.system = 'billing' then c.system_customer_id end as billing_customer_id,
        crm.attribute_value as crm_value,
        {{ dbt.listagg('downstream.attribute_value', "', '", 'order by downstream.attribute_value') }} as system_value,
        sum(case when downstream.attribute_key = crm.attribute_key then 1 else 0 end) = 0 as differs
    from counterparts as c
    inner join customer_attributes as crm
        on
            crm.system = 'crm'
            and c.crm_account_id = crm.customer_id
    inner join customer_attributes as downstream
        on
            c.system = downstream.system
            and c.system_customer_id = downstream.customer_id
            and crm.attribute = downstream.attribute
    group by c.crm_account_id, crm.attribute, c.system, c.system_customer_id, crm.attribute_value
),

attribute_differences as (
    select
        crm_account_id,
        attribute,
        min(crm_value) as crm_value,
        min(erp_customer_id) as erp_customer_id,
        min(billing_customer_id) as billing_customer_id,
        {{ dbt.listagg("system || ': ' || coalesce(system_value, '(empty)')", "'; '", 'order by system') }}
            as system_values,
        {{ dbt.listagg('system', "' and '", 'order by system') }} as systems
    from attribute_comparisons
    where differs
    group by crm_account_id, attribute
),

acc_03 as (
    select
        {{ recon_finding('ACC-03', 'crm_account', 'd.crm_account_id',
            attribute='d.attribute',
            crm_account_id='d.crm_account_id',
            erp_customer_id='coalesce(d.erp_customer_id, ec.erp_customer_id)',
            billing_customer_id='coalesce(d.billing_customer_id, bc.billing_customer_id)',
            expected="coalesce(d.crm_value, '(empty)')",
            actual='d.system_values',
            explanation="'Account ' || d.crm_account_id || ' ' || d.attribute || ' in CRM differs from ' || d.systems") }}
    from attribute_differences as d
    left join erp_counterparts as ec on d.crm_account_id = ec.crm_account_id
    left join billing_counterparts as bc on d.crm_account_id = bc.crm_account_id
),

inactive_with_open_invoices as (
    select
        e.erp_customer_id,
        e.currency_code,
        sum(o.amount_unpaid) as amount_unpaid,
        count(*) as open_invoices
    from erp_customers as e
    inner join open_receivables as o
        on e.erp_customer_id = o.erp_customer_id and e.currency_code = o.currency_code
    where e.is_inactive
    group by e.erp_customer_id, e.currency_code
),

-- Time approved within the window before as-of on an engagement whose ERP job belongs
-- to the customer.
inactive_with_recent_time as (
    select
        e.erp_customer_id,
        sum(t.hours) as hours,
        min(t.psa_project_code) as psa_project_code
    from erp_customers as e
    inner join {{ ref('int_engagements_prepared') }} as g on e.erp_customer_id = g.erp_customer_id
    inner join {{ ref('int_time_entries_prepared') }} as t on g.psa_project_code = t.psa_project_code
    where
        e.is_inactive
        and t.approval_status = 'approved'
        and {{ age_in_days('t.spent_date') }}
        between 0 and {{ recon_days('inactive_customer_time_window_days') }}
    group by e.erp_customer_id
),

inactive_with_any_open_invoice as (
    select
        e.erp_customer_id,
        count(*) as open_invoices
    from erp_customers as e
    inner join open_receivables as o on e.erp_customer_id = o.erp_customer_id
    where e.is_inactive
    group by e.erp_customer_id
),

acc_05 as (
    select
        {{ recon_finding('ACC-05', 'erp_customer', 'e.erp_customer_id',
            crm_account_id='e.externalid',
            erp_customer_id='e.erp_customer_id',
            psa_project_code='rt.psa_project_code',
            expected="'active ERP customer (isinactive = F)'",
            actual="'inactive with ' || " ~ recon_text('coalesce(ai.open_invoices, 0)') ~ " || ' open invoice(s) and ' || " ~ recon_text('coalesce(rt.hours, 0)') ~ " || ' h approved time in the last " ~ recon_days('inactive_customer_time_window_days') ~ " days'",
            currency_code='e.currency_code',
            amount_at_risk='oi.amount_unpaid',
            explanation="'Inactive ERP customer ' || coalesce(e.company_name, e.erp_customer_id) || ' still has open invoices or recent approved time'") }}
    from erp_customers as e
    left join inactive_with_any_open_invoice as ai on e.erp_customer_id = ai.erp_customer_id
    left join inactive_with_open_invoices as oi on e.erp_customer_id = oi.erp_customer_id
    left join inactive_with_recent_time as rt on e.erp_customer_id = rt.erp_customer_id
    where
        e.is_inactive
        and (ai.erp_customer_id is not null or rt.erp_customer_id is not null)
),

erp_customers_with_receivables as (
    select
        e.erp_customer_id,
        e.company_name,
        e.externalid,
        e.currency_code,
        sum(case when o.currency_code = e.currency_code then o.amount_unpaid end) as amount_unpaid
    from erp_customers as e
    inner join open_receivables as o on e.erp_customer_id = o.erp_customer_id
    group by e.erp_customer_id, e.company_name, e.externalid, e.currency_code
),

billing_customers_with_invoices as (
    select
        b.billing_customer_id,
        b.customer_name,
        b.crm_account_id,
        b.currency_code,
        sum(case when i.currency_code = b.currency_code then i.amount_remaining end) as amount_remaining
    from billing_customers as b
    inner join {{ ref('int_billing_invoices_prepared') }} as i on b.billing_customer_id = i.billing_customer_id
    group by b.billing_customer_id, b.customer_name, b.crm_account_id, b.currency_code
),

-- ACC-06: ERP customers with open receivables and live billing customers with invoices that map to no live account.
acc_06 as (
    select
        {{ recon_finding('ACC-06', 'erp_customer', 'e.erp_customer_id',
            crm_account_id='e.externalid',
            erp_customer_id='e.erp_customer_id',
            expected="'a live CRM account mapped to the ERP customer'",
            actual="'externalid ' || coalesce(e.externalid, '(empty)') || ' names no live CRM account'",
            currency_code='e.currency_code',
            amount_at_risk='e.amount_unpaid',
            explanation="'ERP customer ' || coalesce(e.company_name, e.erp_customer_id) || ' has open receivables but maps to no live CRM account'") }}
    from erp_customers_with_receivables as e
    where
        not exists (
            select 1
            from erp_links as l
            inner join live_accounts as a on l.crm_account_id = a.crm_account_id
            where l.erp_customer_id = e.erp_customer_id
        )

    union all

    select
        {{ recon_finding('ACC-06', 'billing_customer', 'b.billing_customer_id',
            crm_account_id='b.crm_account_id',
            billing_customer_id='b.billing_customer_id',
            expected="'a live CRM account named by metadata.crm_account_id'",
            actual="'metadata.crm_account_id ' || coalesce(b.crm_account_id, '(empty)') || ' names no live CRM account'",
            currency_code='b.currency_code',
            amount_at_risk='b.amount_remaining',
            explanation="'Billing customer ' || coalesce(b.customer_name, b.billing_customer_id) || ' has invoices but maps to no live CRM account'") }}
    from billing_customers_with_invoices as b
    where
        b.crm_account_id is null
        or b.crm_account_id not in (select live_accounts.crm_account_id from live_accounts)
),

{{ recon_findings_final(['acc_01', 'acc_02', 'acc_03', 'acc_04', 'acc_05', 'acc_06']) }}
