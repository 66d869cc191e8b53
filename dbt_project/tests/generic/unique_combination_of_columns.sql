{#- The combination of columns is unique (NULLs compare equal, as in a composite key). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
select
    {% for c in combination_of_columns %}{{ c }}{% if not loop.last %}, {% endif %}{% endfor %},
    count(*) as n_rows
from {{ model }}
group by {% for c in combination_of_columns %}{{ c }}{% if not loop.last %}, {% endif %}{% endfor %}
having count(*) > 1
{% endtest %}
