"""How documents print amounts, dates, times and rates, in zh-CN and en (Jinja filters)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup, escape

from domain.money import Money
from domain.money_text import chinese_capital, english_words, with_symbol

MONTHS = (
    "January February March April May June July August September October November December"
).split()
SMALL = "零一二三四五六七八九"


def money(value: Money | None) -> str:
    """¥12,345.67; a dash for an amount the record does not have."""
    return "—" if value is None else with_symbol(value)


def in_words(value: Money, lang: str) -> str:
    """The amount as a bank reads it: 人民币壹万贰仟… or SAY RMB TWELVE THOUSAND … ONLY."""
    return chinese_capital(value) if lang == "zh-CN" else english_words(value)


def long_date(value: date | None, lang: str) -> str:
    """2026年11月30日 / 30 November 2026."""
    if value is None:
        return "—"
    if lang == "zh-CN":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def short_date(value: date | None) -> str:
    """2026-11-30, in tables."""
    return "—" if value is None else value.isoformat()


def local_time(value: datetime, zone: str) -> str:
    """A moment as the tenant's clock showed it, with the zone: 2026-11-01 09:00 (Asia/Shanghai)."""
    return f"{value.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M} ({zone})"


def _small_number(n: int) -> str:
    """1..99 in everyday Chinese numerals (五, 十五, 二十)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else SMALL[tens] + "十")
    return head + (SMALL[ones] if ones else "")


def daily_rate(rate: Decimal, lang: str) -> str:
    """A daily late-interest rate as contracts write it: 日万分之五 (0.05%) / 0.05% a day."""
    percent = f"{(rate * 100).normalize():f}%"
    per_ten_thousand = rate * 10_000
    if lang == "zh-CN":
        if per_ten_thousand == per_ten_thousand.to_integral_value() and 0 < per_ten_thousand < 100:
            return f"日万分之{_small_number(int(per_ten_thousand))}（{percent}）"
        return f"每日{percent}"
    return f"{percent} a day"


@jinja2.pass_context
def _in_words(context: Any, value: Money) -> str:
    return in_words(value, context["lang"])


@jinja2.pass_context
def _long_date(context: Any, value: date | None) -> str:
    return long_date(value, context["lang"])


@jinja2.pass_context
def _daily_rate(context: Any, value: Decimal) -> str:
    return daily_rate(value, context["lang"])


def strong(value: Any) -> Markup:
    """A value printed in bold inside a sentence (escaped)."""
    return Markup("<b>") + escape(value) + Markup("</b>")


@jinja2.pass_context
def say(context: Any, key: str, **values: Any) -> Markup:
    """A label with its {placeholders} filled in; the values are escaped, the label is ours."""
    return Markup(escape(context["L"][key])).format(**values)


FILTERS = {
    "money": money,
    "words": _in_words,
    "longdate": _long_date,
    "shortdate": short_date,
    "rate": _daily_rate,
    "strong": strong,
}
GLOBALS = {"say": say, "local_time": local_time}
