-- The exponent CASE used in staging must agree with the reference seed for every listed currency.
select currency_code, exponent, {{ currency_exponent('currency_code') }} as macro_exponent
from {{ ref('currency_exponents') }}
where exponent <> {{ currency_exponent('currency_code') }}
