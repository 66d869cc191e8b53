{#-
  Incremental: lines loaded after the newest load already processed are rebuilt (a re-sent invoice
  brings all its lines again); lines gone upstream (invoice re-sent with fewer lines, or a `full`
  batch purge) are deleted by the post-hook.
-#}
{{ config(
    materialized='incremental',
    unique_key='billing_invoice_line_id',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    post_hook="{{ delete_purged_rows(ref('stg_billing__invoice_lines'), 'billing_invoice_line_id') }}"
) }}

with

lines as (
    select
        *,
        _dlt_load_id as _source_load_id
    from {{ ref('stg_billing__invoice_lines') }}
    {% if is_incremental() %}
    where {{ newer_than_processed('_dlt_load_id') }}
    {% endif %}
),

final as (
    select
        billing_invoice_line_id,
        billing_invoice_id,
        position,
        amount,
        amount_minor,
        currency_code,
        description,
        quantity,
        unit_amount,
        unit_amount_minor,
        period_start_at,
        period_end_at,
        period_start_date,
        psa_project_code,
        role_name,
        cast(currency_exponent as {{ dbt.type_bigint() }}) as currency_exponent,
        _source_load_id
    from lines
)

select * from final
