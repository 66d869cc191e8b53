{#- Every finding of the nightly reconciliation: the union of the rule families. -#}
{% for family in ['recon_accounts', 'recon_rates', 'recon_unbilled', 'recon_invoices', 'recon_bookings'] %}
select * from {{ ref(family) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
