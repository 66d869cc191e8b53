{#- Every finding of the nightly reconciliation: the union of the rule families' models, as the
    rule catalogue lists them (dbt_project.yml vars q2c_rule_families). Columns and types: the
    enforced contract in _reconciliation__models.yml. -#}
{% for family in var('q2c_rule_families') %}
    select * from {{ ref(family['model']) }}
    {% if not loop.last %}union all{% endif %}
{% endfor %}
