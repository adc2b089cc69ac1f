"""ISO 4217 currencies and their minor-unit exponents, so amounts convert exactly."""

from __future__ import annotations

#: ISO 4217 active codes with their minor-unit digits (most are 2; listed exceptions differ).
_ZERO = {
    "BIF",
    "CLP",
    "DJF",
    "GNF",
    "ISK",
    "JPY",
    "KMF",
    "KRW",
    "PYG",
    "RWF",
    "UGX",
    "UYI",
    "VND",
    "VUV",
    "XAF",
    "XOF",
    "XPF",
}
_THREE = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"}
_FOUR = {"CLF", "UYW"}
_TWO = set(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD
BTN BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR
FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD
KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN
NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS
SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD
YER ZAR ZMW ZWG""".split()
)

MINOR_UNITS: dict[str, int] = {
    **{c: 2 for c in _TWO},
    **{c: 0 for c in _ZERO},
    **{c: 3 for c in _THREE},
    **{c: 4 for c in _FOUR},
}


def is_currency(code: str) -> bool:
    """True for an active ISO 4217 code written in upper case."""
    return code in MINOR_UNITS


def minor_units(code: str) -> int:
    """Digits after the decimal point for a currency; KeyError for an unknown code."""
    return MINOR_UNITS[code]
