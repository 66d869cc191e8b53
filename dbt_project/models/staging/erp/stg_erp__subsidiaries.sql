with

source as (
    select * from {{ source('raw_erp', 'subsidiary') }}
),

renamed as (
    select
        id as subsidiary_id,
        name as subsidiary_name,
        legalname as subsidiary_legal_name,
        upper(trim(country)) as country_code,
        currency as erp_currency_id
    from source
),

final as (
    select * from renamed
)

select * from final
