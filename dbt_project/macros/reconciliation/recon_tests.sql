{#- A finding is one row per rule and subject: no two rows share these columns. -#}
{% test recon_unique_combination(model, combination) %}
select {{ combination | join(', ') }}, count(*) as occurrences
from {{ model }}
group by {{ combination | join(', ') }}
having count(*) > 1
{% endtest %}

{#- Every finding names a catalogued rule (dbt_project.yml vars q2c_rule_catalogue) with that
    rule's family, one of its subject types, one of its attributes ('' for rules without) and
    an owner of the q2c_owners vocabulary. Returns the offending rows. -#}
{% test recon_findings_match_catalogue(model) %}
with

{%- set rows = [] %}
{%- for rule in var('q2c_rule_catalogue') %}
  {%- for subject_type in rule['subject_types'] %}
    {%- for attribute in rule.get('attributes', ['']) %}
      {%- do rows.append("select '" ~ rule['rule_id'] ~ "' as rule_id, '" ~ rule['family'] ~ "' as family, '"
                         ~ subject_type ~ "' as subject_type, '" ~ attribute ~ "' as attribute") %}
    {%- endfor %}
  {%- endfor %}
{%- endfor %}
catalogue as (
    {{ rows | join('\n    union all\n    ') }}
),

owners as (
  {%- for owner in var('q2c_owners') %}
    select '{{ owner }}' as owner {% if not loop.last %}union all{% endif %}
  {%- endfor %}
)

select findings.rule_id, findings.family, findings.subject_type, findings.attribute, findings.owner
from {{ model }} as findings
where not exists (
    select 1 from catalogue
    where catalogue.rule_id = findings.rule_id
      and catalogue.family = findings.family
      and catalogue.subject_type = findings.subject_type
      and catalogue.attribute = findings.attribute
)
or findings.owner not in (select owner from owners)
{% endtest %}
