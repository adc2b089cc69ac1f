"""Amounts as letters print them: thousands separators and a currency symbol, and the total in
Chinese capital numerals (大写), which Chinese financial documents carry beside the figures."""

from __future__ import annotations

from decimal import Decimal

from domain.currencies import minor_units

SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$"}
#: How a Chinese document names the currency before its capital numerals.
NAMES_ZH = {
    "CNY": "人民币",
    "USD": "美元",
    "EUR": "欧元",
    "GBP": "英镑",
    "JPY": "日元",
    "HKD": "港币",
}
DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ((3, "仟"), (2, "佰"), (1, "拾"), (0, ""))
GROUPS = ("", "万", "亿", "万亿")


def money(minor: int, currency: str) -> str:
    """`¥1,234,567.89`: the symbol (or the code) and the amount with thousands separators."""
    digits = minor_units(currency)
    value = Decimal(abs(minor)).scaleb(-digits)
    sign = "-" if minor < 0 else ""
    symbol = SYMBOLS.get(currency)
    figure = f"{value:,.{digits}f}"
    return f"{sign}{symbol}{figure}" if symbol else f"{sign}{currency} {figure}"


def _group(n: int) -> str:
    """1-9999 in capital numerals, with 零 for the gaps inside."""
    out, gap = "", False
    for power, unit in PLACES:
        digit = n // 10**power % 10
        if digit == 0:
            gap = bool(out)
            continue
        if gap:
            out += "零"
            gap = False
        out += DIGITS[digit] + unit
    return out


def _integer(n: int) -> str:
    if n == 0:
        return "零"
    groups: list[int] = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out, skipped = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            skipped = bool(out)
            continue
        if out and (skipped or group < 1000):
            out += "零"
        out += _group(group) + GROUPS[index]
        skipped = False
    return out


def capital(minor: int, currency: str) -> str:
    """The amount in Chinese capital numerals: 人民币壹万贰仟叁佰肆拾伍元陆角柒分."""
    name = NAMES_ZH.get(currency, currency)
    digits = minor_units(currency)
    sign = "负" if minor < 0 else ""
    whole, fraction = divmod(abs(minor), 10**digits)
    cents = fraction // 10 ** max(0, digits - 2) if digits >= 2 else 0
    jiao, fen = divmod(cents, 10)
    text = "" if whole == 0 and cents else _integer(whole) + "元"
    if cents == 0:
        return f"{name}{sign}{text}整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif whole:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    else:
        text += "整"
    return f"{name}{sign}{text}"
