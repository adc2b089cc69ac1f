"""Amounts on letters: grouped with their symbol, and in words (大写 and English)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.money import Money
from domain.money_text import DIGITS, chinese_capital, english_words, grouped, with_symbol

CNY = "CNY"


@pytest.mark.parametrize(
    ("minor", "text"),
    [
        (1_234_567, "人民币壹万贰仟叁佰肆拾伍元陆角柒分"),  # the example of every textbook
        (10_000, "人民币壹佰元整"),
        (140_950, "人民币壹仟肆佰零玖元伍角"),  # a zero between digits: 零
        (600_714, "人民币陆仟零柒元壹角肆分"),  # several zeros: one 零
        (168_032, "人民币壹仟陆佰捌拾元叁角贰分"),
        (10_700_053, "人民币壹拾万柒仟元伍角叁分"),  # 拾 always after a digit
        (1_640_902, "人民币壹万陆仟肆佰零玖元零贰分"),  # 角 zero, 分 not: 元零贰分
        (32_504, "人民币叁佰贰拾伍元零肆分"),
        (10_050_000, "人民币壹拾万零伍佰元整"),
        (10_001_000_000, "人民币壹亿零壹万元整"),
        (11_000_000_000, "人民币壹亿壹仟万元整"),
        (100_000_000_000_000, "人民币壹万亿元整"),
        (123_450_000_000_000, "人民币壹万贰仟叁佰肆拾伍亿元整"),
        (0, "人民币零元整"),
        (5, "人民币伍分"),
        (50, "人民币伍角"),
        (-10_000, "人民币负壹佰元整"),
    ],
)
def test_chinese_capitals_follow_the_payment_rules(minor: int, text: str) -> None:
    assert chinese_capital(Money(minor, CNY)) == text


def test_other_currencies_carry_their_name_and_their_decimals() -> None:
    assert chinese_capital(Money(120_050, "USD")) == "美元壹仟贰佰元伍角"
    assert chinese_capital(Money(12_000, "JPY")) == "日元壹万贰仟元整"
    assert chinese_capital(Money(1_005, "KWD")) == "KWD壹元零伍厘"


def read_capital(text: str) -> int:
    """The amount in fen a capital spells (an independent reading, to check round trips)."""
    body = text.removeprefix("人民币")
    whole_text, _, fraction = body.partition("元")
    if "元" not in body:
        whole_text, fraction = "", body
    value = {d: i for i, d in enumerate(DIGITS)}

    def section(s: str) -> int:
        total, digit = 0, 0
        for ch in s:
            if ch in value:
                digit = value[ch]
            else:
                total += digit * {"拾": 10, "佰": 100, "仟": 1000}[ch]
                digit = 0
        return total + digit

    def integer(s: str) -> int:
        if "亿" in s:
            high, _, low = s.rpartition("亿")
            return integer(high) * 10**8 + integer(low)
        if "万" in s:
            high, _, low = s.partition("万")
            return section(high) * 10**4 + integer(low)
        return section(s)

    fen = 0
    for unit, scale in (("角", 10), ("分", 1)):
        m = re.search(f"([{DIGITS}])" + unit, fraction)
        if m:
            fen += value[m.group(1)] * scale
    return integer(whole_text) * 100 + fen


@given(st.integers(min_value=0, max_value=10**16))
def test_capitals_read_back_to_the_amount(minor: int) -> None:
    text = chinese_capital(Money(minor, CNY))
    assert read_capital(text) == minor
    assert "零零" not in text and not text.removesuffix("整").endswith("零")
    assert ("整" in text) == (minor % 100 == 0)
    assert "拾" not in text or not re.search(r"(^人民币|[万亿零])拾", text)  # always 壹拾


@pytest.mark.parametrize(
    ("minor", "currency", "plain", "symbol"),
    [
        (1_234_567, "CNY", "12,345.67", "¥12,345.67"),
        (-100, "CNY", "-1.00", "-¥1.00"),
        (0, "USD", "0.00", "US$0.00"),
        (123_456_789_012, "EUR", "1,234,567,890.12", "€1,234,567,890.12"),
        (1_500_000, "JPY", "1,500,000", "JP¥1,500,000"),
        (120_000, "CHF", "1,200.00", "CHF 1,200.00"),
    ],
)
def test_grouped_with_symbol(minor: int, currency: str, plain: str, symbol: str) -> None:
    assert grouped(Money(minor, currency)) == plain
    assert with_symbol(Money(minor, currency)) == symbol


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_grouping_only_adds_separators(minor: int) -> None:
    money = Money(minor, CNY)
    assert grouped(money).replace(",", "") == money.to_decimal_string()


@pytest.mark.parametrize(
    ("minor", "words"),
    [
        (
            1_234_567,
            "SAY RMB TWELVE THOUSAND THREE HUNDRED AND FORTY-FIVE AND CENTS SIXTY-SEVEN ONLY",
        ),
        (100_500, "SAY RMB ONE THOUSAND AND FIVE ONLY"),
        (100_000_000, "SAY RMB ONE MILLION ONLY"),
        (230_045_000, "SAY RMB TWO MILLION THREE HUNDRED THOUSAND FOUR HUNDRED AND FIFTY ONLY"),
        (0, "SAY RMB ZERO ONLY"),
        (5, "SAY RMB ZERO AND CENTS FIVE ONLY"),
    ],
)
def test_english_words(minor: int, words: str) -> None:
    assert english_words(Money(minor, CNY)) == words
