"""checkCredit's input rules as a pure function: amount, currency, orderRef and TTL faults,
each on the field the client wrote, all reported at once."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.check_input import MAX_REF, MAX_TTL_SECONDS, MIN_TTL_SECONDS, check_request
from domain.errors import ValidationFailed
from domain.money import Money


def refused(
    amount: str = "100.00",
    currency: str = "CNY",
    order_ref: str | None = "SO-1",
    reserve: bool = False,
    ttl: int = 900,
) -> list[tuple[str | None, str, str]]:
    """The faults in the order reported, as (field, code, message)."""
    with pytest.raises(ValidationFailed) as caught:
        check_request(amount, currency, order_ref, reserve, ttl)
    return [(e.field, e.code, e.message) for e in caught.value.errors]


def test_a_valid_request_gives_money_and_the_trimmed_reference() -> None:
    assert check_request("1250.5", "cny", "  SO-1 ", True, 900) == (Money(125_050, "CNY"), "SO-1")


def test_without_a_reservation_the_reference_is_optional() -> None:
    assert check_request("1", "USD", None, False, 900) == (Money(100, "USD"), None)
    assert check_request("1", "USD", "   ", False, 900) == (Money(100, "USD"), None)


@pytest.mark.parametrize("amount", ["0", "0.00", "-0", "-1", "-0.01", "-1000000"])
def test_zero_or_negative_amounts_are_refused(amount: str) -> None:
    assert refused(amount) == [("amount", "AMOUNT_NOT_POSITIVE", "must be above zero")]


def test_an_unknown_currency_is_refused_on_the_flat_currency_field() -> None:
    assert refused("5", "QQQ") == [
        ("currency", "UNKNOWN_CURRENCY", "'QQQ' is not an ISO 4217 currency code")
    ]


def test_a_malformed_amount_is_refused_on_the_flat_amount_field() -> None:
    assert refused("1,5") == [("amount", "INVALID_AMOUNT", "'1,5' is not a plain decimal")]
    assert refused("1.001") == [("amount", "INVALID_AMOUNT", "CNY takes at most 2 decimal places")]


def test_the_ceiling_is_the_documents_and_a_fen_more_is_too_large() -> None:
    money, _ = check_request("10000000000000.00", "CNY", None, False, 900)
    assert money == Money(10**15, "CNY")
    too_large = ("amount", "AMOUNT_TOO_LARGE", "at most 10000000000000.00 CNY per document")
    assert refused("10000000000000.01") == [too_large]
    assert refused("100000000000000") == [too_large]
    # past what a BIGINT holds it is the same fault, not a malformed amount
    assert refused("99999999999999999999.99") == [too_large]
    assert refused("1000000000000000000.00") == [too_large]


def test_reserving_needs_an_order_reference() -> None:
    assert refused(order_ref=None, reserve=True) == [("orderRef", "REQUIRED", "must not be blank")]
    assert refused(order_ref="  ", reserve=True) == [("orderRef", "REQUIRED", "must not be blank")]


def test_an_over_long_reference_is_refused_even_without_a_reservation() -> None:
    assert check_request("1", "CNY", "R" * MAX_REF, False, 900)[1] == "R" * MAX_REF
    assert refused(order_ref="R" * (MAX_REF + 1)) == [
        ("orderRef", "TOO_LONG", f"at most {MAX_REF} characters")
    ]


@pytest.mark.parametrize("ttl", [0, -1, MAX_TTL_SECONDS + 1, 10**9])
def test_a_ttl_of_zero_or_over_a_day_is_refused(ttl: int) -> None:
    assert refused(ttl=ttl) == [("ttlSeconds", "INVALID_TTL", "between 1 and 86400 seconds")]


@pytest.mark.parametrize("ttl", [MIN_TTL_SECONDS, 900, MAX_TTL_SECONDS])
def test_a_ttl_from_a_second_to_a_day_is_accepted(ttl: int) -> None:
    assert check_request("1", "CNY", "SO-1", True, ttl)[0] == Money(100, "CNY")


def test_every_fault_comes_back_at_once_in_field_order() -> None:
    # the amount's faults first (its own, then the currency's), then orderRef, then ttlSeconds
    assert [(f, c) for f, c, _ in refused("0", "QQQ", None, True, 0)] == [
        ("currency", "UNKNOWN_CURRENCY"),
        ("amount", "AMOUNT_NOT_POSITIVE"),
        ("orderRef", "REQUIRED"),
        ("ttlSeconds", "INVALID_TTL"),
    ]
    assert [(f, c) for f, c, _ in refused("1,5", "QQQ", "R" * 101, False, 86_401)] == [
        ("currency", "UNKNOWN_CURRENCY"),
        ("amount", "INVALID_AMOUNT"),
        ("orderRef", "TOO_LONG"),
        ("ttlSeconds", "INVALID_TTL"),
    ]
    assert [(f, c) for f, c, _ in refused("-1", "CNY", None, True, 900)] == [
        ("amount", "AMOUNT_NOT_POSITIVE"),
        ("orderRef", "REQUIRED"),
    ]


@given(minor=st.integers(min_value=1, max_value=10**15), ttl=st.integers(1, MAX_TTL_SECONDS))
def test_any_positive_amount_within_the_ceiling_and_bounds_passes(minor: int, ttl: int) -> None:
    money = Money(minor, "CNY")
    assert check_request(money.to_decimal_string(), "CNY", "SO-1", True, ttl) == (money, "SO-1")
