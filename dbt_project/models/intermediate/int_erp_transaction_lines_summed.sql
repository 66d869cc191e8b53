{#- Per NetSuite transaction: Σ of its non-main lines (role and tax lines) and their count. -#}
with

lines as (
    select * from {{ ref('stg_erp__transaction_lines') }}
),

final as (
    select
        erp_transaction_id,
        count(case when not is_main_line then 1 end) as line_count,
        coalesce(sum(case when not is_main_line then amount end), 0) as lines_total
    from lines
    group by erp_transaction_id
)

select * from final
