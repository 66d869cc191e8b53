{#-
  Credit documents of both systems: Stripe credit notes and NetSuite CustCred. credit_note_id
  is the source system's own id (cn_... or the NetSuite internal id).
-#}
with

billing_notes as (
    select * from {{ ref('stg_billing__credit_notes') }}
),

erp_memos as (
    select * from {{ ref('int_erp_transactions_enriched') }}
    where transaction_type = 'CustCred'
),

billing_side as (
    select
        billing_credit_note_id as credit_note_id,
        'billing' as source_system,
        billing_credit_note_id,
        cast(null as {{ dbt.type_string() }}) as erp_transaction_id,
        billing_invoice_id,
        billing_customer_id,
        cast(null as {{ dbt.type_string() }}) as erp_customer_id,
        status,
        total,
        currency_code,
        reason,
        created_at,
        voided_at,
        is_voided,
        cast(null as {{ dbt.type_string() }}) as external_id,
        cast(null as {{ fx_rate_type() }}) as exchange_rate
    from billing_notes
),

erp_side as (
    select
        erp_transaction_id as credit_note_id,
        'erp' as source_system,
        cast(null as {{ dbt.type_string() }}) as billing_credit_note_id,
        erp_transaction_id,
        cast(null as {{ dbt.type_string() }}) as billing_invoice_id,
        cast(null as {{ dbt.type_string() }}) as billing_customer_id,
        erp_customer_id,
        status,
        total,
        currency_code,
        memo as reason,
        cast(tran_date as timestamp) as created_at,
        cast(null as timestamp) as voided_at,
        is_voided,
        external_id,
        exchange_rate
    from erp_memos
),

unioned as (
    select * from billing_side
    union all
    select * from erp_side
),

final as (
    select
        credit_note_id,
        source_system,
        billing_credit_note_id,
        erp_transaction_id,
        billing_invoice_id,
        billing_customer_id,
        erp_customer_id,
        status,
        total,
        currency_code,
        reason,
        created_at,
        {{ dbt.cast('created_at', 'date') }} as created_on,
        voided_at,
        is_voided,
        external_id,
        exchange_rate
    from unioned
)

select * from final
