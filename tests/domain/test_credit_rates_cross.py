"""Crossing through the tenant's base currency: with no direct pair (nor its reverse) a book
that knows the base converts source -> base -> target, names both rates, and rounds once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.credit.check import CheckInput
from domain.credit.rates import ExchangeRate, Leg, RateBook, apply_legs
from domain.errors import DomainError
from domain.money import Money

DAY = date(2026, 6, 30)
USD_CNY = ExchangeRate("u", "USD", "CNY", Decimal("7.1"), date(2026, 6, 1))
EUR_CNY = ExchangeRate("e", "EUR", "CNY", Decimal("7.85"), date(2026, 5, 1))


def book(*rates: ExchangeRate, base: str | None = "CNY", on: date = DAY) -> RateBook:
    return RateBook.of(on, rates, base)


def test_without_a_direct_pair_the_book_crosses_through_the_base_naming_both_rates() -> None:
    converted = book(USD_CNY, EUR_CNY).convert(Money(1_000_00, "USD"), "EUR")
    # 1,000 USD x 7.1 / 7.85 = 904.4585... EUR, rounded once
    assert converted.amount == Money(904_46, "EUR")
    assert converted.rate is None and converted.via == "CNY"
    assert [(leg.source, leg.target, leg.rate.id, leg.inverse) for leg in converted.legs] == [
        ("USD", "CNY", "u", False),
        ("CNY", "EUR", "e", True),
    ]
    found = converted.to_json()
    assert found["via"] == "CNY"
    assert [(leg["pair"], leg["rate"], leg["rateDate"]) for leg in found["legs"]] == [
        ("USD/CNY", "7.1", "2026-06-01"),
        ("EUR/CNY", "7.85", "2026-05-01"),
    ]


def test_a_cross_rounds_once_not_in_the_base() -> None:
    # 0.01 USD x 0.5 = 0.005 CNY would round to 0.00 CNY (half to even) and then to 0 EUR;
    # in one step 0.01 x 0.5 / 0.1 = 0.05 EUR
    usd = ExchangeRate("u", "USD", "CNY", Decimal("0.5"), DAY)
    eur = ExchangeRate("e", "EUR", "CNY", Decimal("0.1"), DAY)
    assert book(usd, eur).convert(Money(1, "USD"), "EUR").amount == Money(5, "EUR")


def test_a_direct_pair_always_wins_over_a_cross_even_when_older() -> None:
    direct = ExchangeRate("d", "EUR", "USD", Decimal("1.1"), date(2020, 1, 1))
    converted = book(USD_CNY, EUR_CNY, direct).convert(Money(100_00, "USD"), "EUR")
    assert converted.legs == () and converted.rate == direct and converted.inverse
    assert converted.amount == Money(90_91, "EUR")
    assert "via" not in converted.to_json()


def test_both_legs_may_be_reverse_pairs() -> None:
    cny_usd = ExchangeRate("a", "CNY", "USD", Decimal("0.14"), DAY)
    cny_eur = ExchangeRate("b", "CNY", "EUR", Decimal("0.125"), DAY)
    converted = book(cny_usd, cny_eur).convert(Money(14_00, "USD"), "EUR")
    # 14 USD / 0.14 x 0.125 = 12.5 EUR
    assert converted.amount == Money(12_50, "EUR")
    assert [(leg.rate.id, leg.inverse) for leg in converted.legs] == [("a", True), ("b", False)]


def test_each_leg_is_the_newest_rate_on_or_before_the_date() -> None:
    later = ExchangeRate("u2", "USD", "CNY", Decimal("7.2"), date(2026, 6, 20))
    future = ExchangeRate("u3", "USD", "CNY", Decimal("9"), date(2026, 7, 1))
    converted = book(USD_CNY, later, future, EUR_CNY).convert(Money(100, "USD"), "EUR")
    assert [(leg.rate.id, leg.rate.effective_on) for leg in converted.legs] == [
        ("u2", date(2026, 6, 20)),
        ("e", date(2026, 5, 1)),
    ]
    # before the later USD/CNY rate the older one is used
    early = book(USD_CNY, later, future, EUR_CNY, on=date(2026, 6, 10))
    assert early.convert(Money(100, "USD"), "EUR").legs[0].rate.id == "u"


def test_a_missing_leg_is_still_no_exchange_rate() -> None:
    one_leg = book(USD_CNY)
    assert one_leg.try_convert(Money(100, "USD"), "EUR") is None
    with pytest.raises(DomainError) as refused:
        one_leg.convert(Money(100, "USD"), "EUR")
    assert refused.value.code == "NO_EXCHANGE_RATE" and "USD/EUR" in refused.value.message
    # a leg effective only after the date is missing too
    late = ExchangeRate("e", "EUR", "CNY", Decimal("7.85"), date(2026, 7, 1))
    assert book(USD_CNY, late).try_convert(Money(100, "USD"), "EUR") is None


def test_a_book_without_a_base_never_crosses() -> None:
    assert book(USD_CNY, EUR_CNY, base=None).try_convert(Money(100, "USD"), "EUR") is None


def test_within_a_cap_crosses_both_legs_back() -> None:
    cap = Money(904_46, "EUR")
    within = book(USD_CNY, EUR_CNY).within(cap, "USD")
    assert within is not None
    assert [(leg.source, leg.target, leg.inverse) for leg in within.legs] == [
        ("EUR", "CNY", False),
        ("CNY", "USD", True),
    ]
    legs = (Leg("USD", "CNY", USD_CNY, False), Leg("CNY", "EUR", EUR_CNY, True))
    largest = within.amount.minor
    assert apply_legs(largest, legs) <= cap.minor < apply_legs(largest + 1, legs)


def test_the_base_rides_in_the_snapshot_and_an_old_snapshot_does_not_cross() -> None:
    crossing = book(USD_CNY, EUR_CNY)
    stored = [r.to_json() for r in crossing.rates]
    assert {r["crossBase"] for r in stored} == {"CNY"}
    again = RateBook.of(DAY, [ExchangeRate.from_json(r) for r in stored])
    assert again.base == "CNY"
    assert again.convert(Money(100, "USD"), "EUR").via == "CNY"
    # a snapshot logged before crossing has no base on its rates: it replays as it was
    old = [{k: v for k, v in r.items() if k != "crossBase"} for r in stored]
    before = RateBook.of(DAY, [ExchangeRate.from_json(r) for r in old])
    assert before.base is None and before.try_convert(Money(100, "USD"), "EUR") is None
    assert "crossBase" not in USD_CNY.to_json()


def test_the_check_input_keeps_the_base_through_its_snapshot() -> None:
    assert "rates" in CheckInput.__dataclass_fields__
    rates = book(USD_CNY, EUR_CNY).rates
    again = ExchangeRate.from_json(rates[0].to_json())
    assert again == rates[0] and again.cross_base == rates[0].cross_base == "CNY"
