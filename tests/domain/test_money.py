"""Money is exact: parsing, formatting and arithmetic never go through floats."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.money import Money


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        ("1234.50", "CNY", 123450),
        ("0", "USD", 0),
        ("7", "JPY", 7),
        ("1.234", "KWD", 1234),
        ("-5.00", "EUR", -500),
        ("  12.3 ", "CNY", 1230),
    ],
)
def test_parse_exact(amount: str, currency: str, minor: int) -> None:
    assert Money.parse(amount, currency) == Money(minor, currency)


@pytest.mark.parametrize(
    ("amount", "currency", "code"),
    [
        ("1.005", "CNY", "INVALID_AMOUNT"),
        ("1.5", "JPY", "INVALID_AMOUNT"),
        ("abc", "CNY", "INVALID_AMOUNT"),
        ("1e3", "CNY", "INVALID_AMOUNT"),
        ("NaN", "CNY", "INVALID_AMOUNT"),
        ("Infinity", "USD", "INVALID_AMOUNT"),
        ("10", "XXZ", "UNKNOWN_CURRENCY"),
        ("10", "cny", "UNKNOWN_CURRENCY"),
        ("99999999999999999999", "CNY", "INVALID_AMOUNT"),
    ],
)
def test_parse_refuses(amount: str, currency: str, code: str) -> None:
    with pytest.raises(DomainError) as info:
        Money.parse(amount, currency)
    assert info.value.code == code


def test_float_is_not_money() -> None:
    with pytest.raises(TypeError):
        Money(1.5, "CNY")  # type: ignore[arg-type]


def test_no_mixing_currencies() -> None:
    with pytest.raises(DomainError) as info:
        Money(1, "CNY") + Money(1, "USD")
    assert info.value.code == "CURRENCY_MISMATCH"


@given(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.sampled_from(["CNY", "USD", "JPY", "KWD", "EUR"]),
)
def test_format_then_parse_round_trips(minor: int, currency: str) -> None:
    money = Money(minor, currency)
    assert Money.parse(money.to_decimal_string(), currency) == money


@given(st.integers(-(10**12), 10**12), st.integers(-(10**12), 10**12))
def test_addition_is_exact(a: int, b: int) -> None:
    assert (Money(a, "CNY") + Money(b, "CNY")).minor == a + b
    assert (Money(a, "CNY") - Money(b, "CNY")).minor == a - b
