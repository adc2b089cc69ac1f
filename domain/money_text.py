"""Amounts as a letter prints them: grouped digits with the currency's symbol, and the total in
words, Chinese financial capitals (大写) or English, because banks and courts read the words.

The capitals follow the People's Bank of China rules for filling in payment documents
(《正确填写票据和结算凭证的基本规定》): a zero between digits is written 零 once however many
zeros there are; 拾 always has a digit before it (壹拾); an amount ending at 元 ends in 整; when
角 is zero and 分 is not, 零 follows 元 (¥16,409.02 is 壹万陆仟肆佰零玖元零贰分).
"""

from __future__ import annotations

from domain.currencies import minor_units
from domain.money import Money

#: The sign a reader expects before an amount; other currencies print their ISO code.
CURRENCY_SYMBOLS: dict[str, str] = {
    "CNY": "¥",
    "USD": "US$",
    "EUR": "€",
    "GBP": "£",
    "HKD": "HK$",
    "JPY": "JP¥",
    "TWD": "NT$",
    "MOP": "MOP$",
    "SGD": "S$",
    "AUD": "A$",
    "CAD": "C$",
    "KRW": "₩",
}
#: The currency's Chinese name before the capitals (人民币壹佰元整); else the ISO code.
CHINESE_NAMES: dict[str, str] = {
    "CNY": "人民币",
    "USD": "美元",
    "EUR": "欧元",
    "GBP": "英镑",
    "HKD": "港币",
    "JPY": "日元",
    "TWD": "新台币",
    "MOP": "澳门元",
    "SGD": "新加坡元",
    "AUD": "澳大利亚元",
    "CAD": "加拿大元",
    "CHF": "瑞士法郎",
    "KRW": "韩元",
}
#: The English name in "SAY ... ONLY" words, as Chinese commercial documents write them.
ENGLISH_NAMES: dict[str, str] = {"CNY": "RMB", "USD": "US DOLLARS", "EUR": "EURO", "GBP": "POUNDS"}

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")  #: within a group of four digits
FRACTION_UNITS = ("角", "分", "厘")  #: tenths, hundredths, thousandths of a 元
WAN, YI = 10**4, 10**8

ONES = (
    "ZERO ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE TEN ELEVEN TWELVE THIRTEEN FOURTEEN "
    "FIFTEEN SIXTEEN SEVENTEEN EIGHTEEN NINETEEN"
).split()
TENS = "_ _ TWENTY THIRTY FORTY FIFTY SIXTY SEVENTY EIGHTY NINETY".split()
SCALES = ((10**12, "TRILLION"), (10**9, "BILLION"), (10**6, "MILLION"), (10**3, "THOUSAND"))


def grouped(money: Money) -> str:
    """The amount with thousands separators and the currency's decimals: -12,345.67."""
    digits = minor_units(money.currency)
    whole, fraction = divmod(abs(money.minor), 10**digits)
    text = f"{whole:,}" + (f".{fraction:0{digits}d}" if digits else "")
    return "-" + text if money.minor < 0 else text


def with_symbol(money: Money) -> str:
    """The grouped amount behind its symbol (¥12,345.67), or behind its code (CHF 1,200.00)."""
    symbol = CURRENCY_SYMBOLS.get(money.currency)
    body = grouped(Money(abs(money.minor), money.currency))
    text = f"{symbol}{body}" if symbol else f"{money.currency} {body}"
    return "-" + text if money.minor < 0 else text


def _below_wan(n: int) -> str:
    """0 < n < 10,000 in capitals; inner zeros collapse to one 零, trailing zeros vanish."""
    out, zero = "", False
    for place in range(3, -1, -1):
        digit = n // 10**place % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += DIGITS[0]
            zero = False
        out += DIGITS[digit] + PLACES[place]
    return out


def _integer(n: int) -> str:
    """n > 0 in capitals: groups of 亿 and 万, a 零 where a lower group starts with zeros."""
    if n < WAN:
        return _below_wan(n)
    unit, size, mark = (YI, YI, "亿") if n >= YI else (WAN, WAN, "万")
    high, low = divmod(n, unit)
    text = _integer(high) + mark
    if low:
        text += (DIGITS[0] if low < size // 10 else "") + _integer(low)
    return text


def chinese_capital(money: Money) -> str:
    """The amount in financial capitals: ¥12,345.67 is 人民币壹万贰仟叁佰肆拾伍元陆角柒分."""
    digits = minor_units(money.currency)
    whole, fraction = divmod(abs(money.minor), 10**digits)
    prefix = CHINESE_NAMES.get(money.currency, money.currency) + ("负" if money.minor < 0 else "")
    parts = [fraction // 10 ** (digits - 1 - i) % 10 for i in range(digits)]
    if not any(parts):
        return f"{prefix}{_integer(whole) if whole else DIGITS[0]}元整"
    text = prefix + (_integer(whole) + "元" if whole else "")
    zero = False
    for i, digit in enumerate(parts):
        if digit == 0:
            zero = True
            continue
        if zero and (whole or text != prefix):
            text += DIGITS[0]  # 元零贰分: a zero 角 before a non-zero 分 is written
        zero = False
        text += DIGITS[digit] + FRACTION_UNITS[i]
    return text


def _english(n: int) -> str:
    """n >= 0 in English words, British style (ONE HUNDRED AND FIVE)."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("-" + ONES[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        return ONES[n // 100] + " HUNDRED" + (" AND " + _english(rest) if rest else "")
    for size, name in SCALES:
        if n >= size:
            high, rest = divmod(n, size)
            text = f"{_english(high)} {name}"
            if rest:
                text += (" " if rest >= 100 else " AND ") + _english(rest)
            return text
    raise AssertionError("unreachable")  # pragma: no cover


def english_words(money: Money) -> str:
    """The amount in words as export documents write it: SAY RMB ONE HUNDRED AND CENTS FIVE ONLY."""
    digits = minor_units(money.currency)
    whole, fraction = divmod(abs(money.minor), 10**digits)
    name = ENGLISH_NAMES.get(money.currency, money.currency)
    sign = "MINUS " if money.minor < 0 else ""
    cents = f" AND CENTS {_english(fraction)}" if fraction else ""
    return f"SAY {name} {sign}{_english(whole)}{cents} ONLY"
