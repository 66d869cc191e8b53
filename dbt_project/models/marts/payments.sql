{#-
  Payments of both systems in one grain: Stripe charges and NetSuite CustPymt. payment_id is
  the source system's own id (ch_... or the NetSuite internal id), unique across the two.
-#}
with

charges as (
    select * from {{ ref('stg_billing__charges') }}
),

erp_payments as (
    select * from {{ ref('int_erp_transactions_enriched') }}
    where transaction_type = 'CustPymt'
),

billing_side as (
    select
        billing_charge_id as payment_id,
        'billing' as source_system,
        billing_charge_id,
        cast(null as {{ dbt.type_string() }}) as erp_transaction_id,
        billing_invoice_id,
        billing_customer_id,
        cast(null as {{ dbt.type_string() }}) as erp_customer_id,
        amount,
        amount_captured,
        amount_refunded,
        currency_code,
        status,
        -- A charge is paid when Stripe says so; its creation instant is the payment instant.
        case when is_paid then created_at end as paid_at,
        created_at,
        false as is_voided,
        cast(null as {{ dbt.type_string() }}) as external_id,
        cast(null as {{ fx_rate_type() }}) as exchange_rate
    from charges
),

erp_side as (
    select
        erp_transaction_id as payment_id,
        'erp' as source_system,
        cast(null as {{ dbt.type_string() }}) as billing_charge_id,
        erp_transaction_id,
        cast(null as {{ dbt.type_string() }}) as billing_invoice_id,
        cast(null as {{ dbt.type_string() }}) as billing_customer_id,
        erp_customer_id,
        total as amount,
        cast(null as {{ money_type() }}) as amount_captured,
        cast(null as {{ money_type() }}) as amount_refunded,
        currency_code,
        status,
        cast(tran_date as timestamp) as paid_at,
        cast(tran_date as timestamp) as created_at,
        is_voided,
        external_id,
        exchange_rate
    from erp_payments
),

unioned as (
    select * from billing_side
    union all
    select * from erp_side
),

final as (
    select
        payment_id,
        source_system,
        billing_charge_id,
        erp_transaction_id,
        billing_invoice_id,
        billing_customer_id,
        erp_customer_id,
        amount,
        amount_captured,
        amount_refunded,
        currency_code,
        status,
        paid_at,
        {{ dbt.cast('paid_at', 'date') }} as paid_on,
        is_voided,
        external_id,
        created_at,
        exchange_rate
    from unioned
)

select * from final
