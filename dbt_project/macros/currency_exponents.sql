{#-
  ISO 4217 minor-unit exponents. Staging may not join, so the exponent is a CASE generated
  from these lists instead of a join to the reference.currency_exponents seed; the seed holds
  the same lists for analysts and the singular test assert_currency_exponent_macro_matches_seed
  keeps the two in step. Any currency not listed has exponent 2.
-#}
{% macro zero_decimal_currencies() -%}
  {{ return(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']) }}
{%- endmacro %}

{% macro three_decimal_currencies() -%}
  {{ return(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']) }}
{%- endmacro %}

{% macro _quoted_list(values) -%}
  {%- for v in values %}'{{ v }}'{% if not loop.last %}, {% endif %}{% endfor -%}
{%- endmacro %}

{#- Exponent (integer) of a currency-code expression, case-insensitive. -#}
{% macro currency_exponent(currency_code) -%}
  case
    when upper({{ currency_code }}) in ({{ _quoted_list(zero_decimal_currencies()) }}) then 0
    when upper({{ currency_code }}) in ({{ _quoted_list(three_decimal_currencies()) }}) then 3
    else 2
  end
{%- endmacro %}

{#-
  Minor units (Stripe integer or decimal-string amount) -> major units as decimal(18,4).
  Multiplies by an exact decimal factor: dividing decimals gives DOUBLE in DuckDB.
-#}
{% macro minor_to_major(amount_minor, currency_code) -%}
  cast(
    {{ amount_minor }} * case
      when upper({{ currency_code }}) in ({{ _quoted_list(zero_decimal_currencies()) }}) then 1
      when upper({{ currency_code }}) in ({{ _quoted_list(three_decimal_currencies()) }}) then 0.001
      else 0.01
    end
    as {{ money_type() }})
{%- endmacro %}

{#- Major units -> minor units (exact), for comparing amounts of one document in minor units. -#}
{% macro major_to_minor(amount_major, currency_code) -%}
  cast(
    {{ amount_major }} * case
      when upper({{ currency_code }}) in ({{ _quoted_list(zero_decimal_currencies()) }}) then 1
      when upper({{ currency_code }}) in ({{ _quoted_list(three_decimal_currencies()) }}) then 1000
      else 100
    end
    as {{ money_type() }})
{%- endmacro %}
