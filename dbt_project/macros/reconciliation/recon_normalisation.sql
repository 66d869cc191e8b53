{#-
  Normalisation for comparing names and ids across systems (catalogue "Conventions").
  The DuckDB-only pieces (strip_accents, Unicode regex classes) are dispatched; the
  postgres__ variants use translate() and POSIX classes.
-#}

{% macro recon_strip_accents(expr) -%}
  {{ return(adapter.dispatch('recon_strip_accents')(expr)) }}
{%- endmacro %}

{% macro default__recon_strip_accents(expr) -%}
  strip_accents({{ expr }})
{%- endmacro %}

{% macro postgres__recon_strip_accents(expr) -%}
  translate({{ expr }},
    'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿ',
    'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOOooooooUUUUuuuuYyy')
{%- endmacro %}

{#- Regex character class of separators: punctuation, symbols and whitespace. -#}
{% macro recon_separator_class() -%}
  {{ return(adapter.dispatch('recon_separator_class')()) }}
{%- endmacro %}

{% macro default__recon_separator_class() -%}
  {{ return('[\\pP\\pS\\s]+') }}
{%- endmacro %}

{% macro postgres__recon_separator_class() -%}
  {{ return('[[:punct:][:space:]]+') }}
{%- endmacro %}

{% macro recon_regexp_replace_all(expr, pattern, replacement) -%}
  {{ return(adapter.dispatch('recon_regexp_replace_all')(expr, pattern, replacement)) }}
{%- endmacro %}

{% macro default__recon_regexp_replace_all(expr, pattern, replacement) -%}
  regexp_replace({{ expr }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{#- Legal suffixes that do not make two customer names different. -#}
{% macro recon_legal_suffixes() -%}
  {{ return(['inc', 'llc', 'ltd', 'gmbh', 'sa', 'bv', 'pty', 'plc', 'ag', 'corp']) }}
{%- endmacro %}

{#-
  Customer name comparison key: lower case, accents stripped, dots dropped (so "S.A." is
  "sa" and "Corp." is "corp"), other punctuation/symbols/whitespace as word breaks, legal
  suffix words removed wherever they stand, then all spaces removed
  ("Acme Corp." = "ACME", "Müller GmbH" = "Muller", "Smith-Jones" = "Smith Jones").
-#}
{% macro normalise_customer_name(expr) -%}
  {%- set no_dots = recon_regexp_replace_all('lower(' ~ recon_strip_accents(expr) ~ ')', '[.]', '') -%}
  {#- Words separated by two spaces, padded by one, so adjacent suffixes each match " x ". -#}
  {%- set words = "' ' || " ~ recon_regexp_replace_all(no_dots, recon_separator_class(), '  ') ~ " || ' '" -%}
  {%- set no_suffixes = recon_regexp_replace_all(words, ' (' ~ recon_legal_suffixes() | join('|') ~ ') ', ' ') -%}
  nullif({{ recon_regexp_replace_all(no_suffixes, recon_separator_class(), '') }}, '')
{%- endmacro %}

{#- Legal entities: only case, punctuation and whitespace are ignored; suffixes count. -#}
{% macro normalise_legal_entity(expr) -%}
  {%- set no_dots = recon_regexp_replace_all('lower(' ~ expr ~ ')', '[.]', '') -%}
  nullif(trim({{ recon_regexp_replace_all(no_dots, recon_separator_class(), ' ') }}), '')
{%- endmacro %}

{#- Tax ids: upper case without spaces or punctuation ("de 123.456" = "DE123456"). -#}
{% macro normalise_tax_id(expr) -%}
  nullif(upper({{ recon_regexp_replace_all(expr, recon_separator_class(), '') }}), '')
{%- endmacro %}

{% macro normalise_code(expr) -%}
  nullif(upper(trim({{ expr }})), '')
{%- endmacro %}
