{#-
  Inside-document arithmetic (rules README): two amounts of one document agree when they differ
  by at most `tolerance` minor units. Columns already in minor units pass currency_column=none;
  major-unit columns are converted exactly with the document's currency exponent. NULLs on
  either side are not compared (use not_null for that).
-#}
{% test equal_within_minor_units(model, column_name, other, currency_column=none, tolerance=1) %}
{%- if currency_column is none -%}
  {%- set left = column_name -%}
  {%- set right = other -%}
{%- else -%}
  {%- set left = major_to_minor(column_name, currency_column) -%}
  {%- set right = major_to_minor('(' ~ other ~ ')', currency_column) -%}
{%- endif %}
select *
from {{ model }}
where {{ column_name }} is not null
  and ({{ other }}) is not null
  and abs(({{ left }}) - ({{ right }})) > {{ tolerance }}
{% endtest %}
