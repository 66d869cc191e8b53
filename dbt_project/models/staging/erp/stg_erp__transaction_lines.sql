with

source as (
    select * from {{ source('raw_erp', 'transactionline') }}
),

renamed as (
    select
        id as erp_transaction_line_id,
        transaction as erp_transaction_id,
        cast(linesequencenumber as {{ dbt.type_bigint() }}) as line_sequence,
        coalesce({{ to_boolean('mainline') }}, false) as is_main_line,
        coalesce({{ to_boolean('taxline') }}, false) as is_tax_line,
        item,
        {{ dbt.cast('quantity', hours_type()) }} as quantity,
        {{ to_money('rate') }} as rate,
        {{ to_money('foreignamount') }} as amount,
        memo
    from source
),

final as (
    select * from renamed
)

select * from final
