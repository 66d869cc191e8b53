{#- Stripe amounts stay beside their major-unit value as *_minor (design.md §2). -#}
{%- set amounts = ['subtotal', 'tax', 'total', 'amount_due', 'amount_paid', 'amount_remaining'] -%}
with

source as (
    select * from {{ source('raw_billing', 'invoices') }}
),

renamed as (
    select
        id as billing_invoice_id,
        number as invoice_number,
        customer as billing_customer_id,
        status,
        {{ to_currency_code('currency') }} as currency_code,
        {{ currency_exponent('currency') }} as currency_exponent,
        {%- for amount in amounts %}
            {{ minor_to_major(amount, 'currency') }} as {{ amount }},
            cast({{ amount }} as {{ dbt.type_bigint() }}) as {{ amount }}_minor,
        {%- endfor %}
        {{ epoch_to_timestamp('created') }} as created_at,
        {{ dbt.cast(epoch_to_timestamp('due_date'), 'date') }} as due_date,
        {{ epoch_to_timestamp('period_start') }} as period_start,
        {{ epoch_to_timestamp('period_end') }} as period_end,
        {{ epoch_to_timestamp('status_transitions_finalized_at') }} as finalized_at,
        {{ epoch_to_timestamp('status_transitions_paid_at') }} as paid_at,
        {{ epoch_to_timestamp('status_transitions_voided_at') }} as voided_at,
        {{ epoch_to_timestamp('status_transitions_marked_uncollectible_at') }} as marked_uncollectible_at,
        nullif(trim(metadata_psa_project_code), '') as psa_project_code,
        coalesce(lines_has_more, false) as lines_has_more,
        livemode as is_livemode,
        _q2c_batch_id,
        _dlt_load_id
    from source
),

final as (
    select
        *,
        -- Finalised as the rules catalogue counts it (INV-01): open, paid or uncollectible.
        status in ('open', 'paid', 'uncollectible') as is_finalised
    from renamed
)

select * from final
