with

source as (
    select * from {{ source('raw_erp', 'previoustransactionlink') }}
),

renamed as (
    select
        previousdoc as erp_invoice_id,
        nextdoc as applying_transaction_id,
        linktype as link_type_label,
        case linktype
            when 'Payment' then 'payment'
            when 'Credit Memo' then 'credit_memo'
        end as link_type,
        {{ to_money('foreignamount') }} as amount,
        {{ parse_us_date('linkdate') }} as link_date
    from source
),

final as (
    select * from renamed
)

select * from final
