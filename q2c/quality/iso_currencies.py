"""Active ISO 4217 currency codes: the value set every mart's currency column must fall in.

Upper case on purpose: the marts normalise Stripe's lower-case codes, so a lower-case code
in a mart is a staging defect the quality suite must catch.
"""

from __future__ import annotations

ISO_4217_CODES: frozenset[str] = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
    BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD
    FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
    KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP
    MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR
    RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT
    TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR
    ZMW ZWG
    """.split()
)

# Currencies whose unit is small enough that an ordinary hourly rate runs into the
# thousands (e.g. 25,000 JPY/h): the generic 0-2000 rate ceiling would flag them all.
HIGH_NOMINAL_CURRENCIES: frozenset[str] = frozenset(
    """
    CLP COP CRC HUF IDR IQD IRR ISK JPY KHR KRW KZT LAK LBP MGA MMK MNT PKR PYG RWF SLE SYP
    TZS UGX UZS VND XAF XOF
    """.split()
)
