{#- A finding is one row per rule and subject: no two rows share these columns. -#}
{% test recon_unique_combination(model, combination) %}
select {{ combination | join(', ') }}, count(*) as occurrences
from {{ model }}
group by {{ combination | join(', ') }}
having count(*) > 1
{% endtest %}
