"""Exchange rates: exact decimals, newest rate by date, every conversion says what it used."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.rates import ExchangeRate, RateBook, apply_rate, parse_rate, validate_rate
from domain.errors import DomainError, ValidationFailed
from domain.money import Money

DAY = date(2026, 6, 30)


def rate(base: str, quote: str, value: str, on: date, id_: str = "r") -> ExchangeRate:
    return ExchangeRate(id_, base, quote, Decimal(value), on)


@pytest.mark.parametrize("text", ["", "abc", "1e3", "0", "-1", "NaN", "1.0000000000001"])
def test_a_rate_is_a_plain_positive_decimal_with_at_most_twelve_places(text: str) -> None:
    with pytest.raises(DomainError) as refused:
        parse_rate(text)
    assert refused.value.code == "INVALID_RATE"


def test_a_rate_keeps_its_exact_value() -> None:
    assert parse_rate("7.123456789012") == Decimal("7.123456789012")


def test_a_bad_rate_reports_every_problem_at_once() -> None:
    with pytest.raises(ValidationFailed) as refused:
        validate_rate("XXX", "XXX", "-2", date(1800, 1, 1))
    assert sorted((e.field, e.code) for e in refused.value.errors) == [
        ("base", "UNKNOWN_CURRENCY"),
        ("effectiveOn", "INVALID_DATE"),
        ("quote", "SAME_CURRENCY"),
        ("quote", "UNKNOWN_CURRENCY"),
        ("rate", "INVALID_RATE"),
    ]


def test_conversion_rounds_half_to_even_across_minor_units() -> None:
    # 1.00 USD at 7.125 CNY is 7.125 CNY: half to even gives 7.12
    assert apply_rate(100, "USD", "CNY", Decimal("7.125"), False) == 712
    assert apply_rate(100, "USD", "CNY", Decimal("7.135"), False) == 714
    # JPY has no minor units: 1,000 JPY at 0.048 CNY is 48.00 CNY
    assert apply_rate(1000, "JPY", "CNY", Decimal("0.048"), False) == 4800
    # inverse: 100.00 CNY through USD/CNY 8 is 12.50 USD
    assert apply_rate(10000, "CNY", "USD", Decimal("8"), True) == 1250


def test_the_newest_rate_on_or_before_the_date_is_used_and_named() -> None:
    book = RateBook.of(
        DAY,
        [
            rate("USD", "CNY", "7.00", date(2026, 6, 1), "old"),
            rate("USD", "CNY", "7.20", date(2026, 6, 29), "new"),
            rate("USD", "CNY", "9.99", date(2026, 7, 1), "future"),
        ],
    )
    converted = book.convert(Money(100, "USD"), "CNY")
    assert converted.amount == Money(720, "CNY")
    assert converted.rate is not None and converted.rate.id == "new"
    assert converted.to_json()["rateDate"] == "2026-06-29"


def test_a_newer_reverse_rate_wins_and_is_used_inverted() -> None:
    book = RateBook.of(
        DAY,
        [rate("USD", "CNY", "7.00", date(2026, 6, 1), "d"), rate("CNY", "USD", "0.125", DAY, "i")],
    )
    converted = book.convert(Money(800, "USD"), "CNY")
    assert (converted.amount, converted.inverse) == (Money(6400, "CNY"), True)


def test_no_rate_is_a_clear_refusal_naming_the_pair_and_date() -> None:
    with pytest.raises(DomainError) as refused:
        RateBook(DAY).convert(Money(1, "EUR"), "CNY", "amount")
    assert refused.value.code == "NO_EXCHANGE_RATE"
    assert "EUR/CNY" in refused.value.message and "2026-06-30" in refused.value.message


def test_same_currency_needs_no_rate() -> None:
    converted = RateBook(DAY).convert(Money(5, "CNY"), "CNY")
    assert converted.amount == Money(5, "CNY") and converted.rate is None


@given(
    cap=st.integers(min_value=-(10**6), max_value=10**12),
    value=st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("100000"), places=6),
    inverse=st.booleans(),
)
def test_largest_within_is_exactly_the_largest_amount_that_fits(
    cap: int, value: Decimal, inverse: bool
) -> None:
    base, quote = ("CNY", "USD") if inverse else ("USD", "CNY")
    book = RateBook.of(DAY, [rate(base, quote, str(value), DAY)])
    fit = book.largest_within(Money(cap, "CNY"), "USD")
    if cap <= 0:
        assert fit.minor == 0
        return
    assert book.convert(fit, "CNY").amount.minor <= cap
    assert book.convert(Money(fit.minor + 1, "USD"), "CNY").amount.minor > cap


@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=2, max_size=2))
def test_conversion_is_monotone(amounts: list[int]) -> None:
    low, high = sorted(amounts)
    assert apply_rate(low, "USD", "JPY", Decimal("151.37"), False) <= apply_rate(
        high, "USD", "JPY", Decimal("151.37"), False
    )
