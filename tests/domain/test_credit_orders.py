"""Sales-order rules as pure functions: what a replay must repeat (parsed money, the date only
when sent), the amount's ceiling, and which orders may be cancelled."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.exposure import OrderStatus
from domain.credit.orders import (
    MAX_REF,
    OrderRequest,
    cancel_refusal,
    cancel_request,
    change_request,
    order_request,
    ship_request,
)
from domain.errors import ValidationFailed
from domain.money import MAX_DOCUMENT_MINOR, Money

TODAY = date(2026, 12, 2)
CUSTOMER = "6f1c4d3e-0000-4000-8000-000000000001"


def faults(
    ref: str = "SO-1", amount: str = "100.00", currency: str = "CNY", on: date | None = None
) -> list[tuple[str | None, str]]:
    """A registration's faults in the order reported, as (field, code)."""
    with pytest.raises(ValidationFailed) as caught:
        order_request(ref, amount, currency, on, TODAY)
    return [(e.field, e.code) for e in caught.value.errors]


def test_a_registration_is_normalised() -> None:
    assert order_request(" SO-1 ", "300000", "cny", None, TODAY) == OrderRequest(
        "SO-1", Money(30_000_000, "CNY"), None
    )


@pytest.mark.parametrize("amount", ["300000", "300000.0", "300000.00", "+300000.000", "0300000"])
def test_equal_money_written_otherwise_is_the_same_content(amount: str) -> None:
    asked = order_request("SO-1", amount, "cny", None, TODAY).content(CUSTOMER)
    first = order_request("SO-1", "300000.00", "CNY", None, TODAY).content(CUSTOMER)
    assert asked == first


@given(minor=st.integers(1, MAX_DOCUMENT_MINOR), other=st.integers(1, MAX_DOCUMENT_MINOR))
def test_content_differs_exactly_when_the_money_does(minor: int, other: int) -> None:
    one = order_request("SO-1", Money(minor, "CNY").to_decimal_string(), "CNY", None, TODAY)
    two = order_request("SO-1", Money(other, "CNY").to_decimal_string(), "CNY", None, TODAY)
    assert (one.content(CUSTOMER) == two.content(CUSTOMER)) == (minor == other)


def test_the_currency_reference_and_customer_are_content_and_the_date_is_not() -> None:
    base = order_request("SO-1", "5", "CNY", None, TODAY)
    assert base.content(CUSTOMER) != order_request("SO-1", "5", "USD", None, TODAY).content(
        CUSTOMER
    )
    assert base.content(CUSTOMER) != order_request("SO-2", "5", "CNY", None, TODAY).content(
        CUSTOMER
    )
    assert base.content(CUSTOMER) != base.content(CUSTOMER.replace("1", "2"))
    dated = order_request("SO-1", "5", "CNY", TODAY, TODAY)
    assert base.content(CUSTOMER) == dated.content(CUSTOMER)


def test_a_request_without_a_date_agrees_with_any_order_date_one_with_a_date_with_its_own() -> None:
    yesterday = TODAY - timedelta(days=1)
    undated = order_request("SO-1", "5", "CNY", None, TODAY)
    dated = order_request("SO-1", "5", "CNY", yesterday, TODAY)
    assert (undated.same_date(yesterday), undated.same_date(TODAY)) == (True, True)
    assert (dated.same_date(yesterday), dated.same_date(TODAY)) == (True, False)


def test_the_ceiling_is_the_documents_and_a_fen_more_is_too_large() -> None:
    at = order_request("SO-1", "10000000000000.00", "CNY", None, TODAY)
    assert at.amount == Money(MAX_DOCUMENT_MINOR, "CNY")
    assert faults(amount="10000000000000.01") == [("amount.amount", "AMOUNT_TOO_LARGE")]
    assert faults(amount="999999999999999.99") == [("amount.amount", "AMOUNT_TOO_LARGE")]
    assert faults(amount="1000000000000.001", currency="KWD") == [
        ("amount.amount", "AMOUNT_TOO_LARGE")
    ]
    # above the ceiling whatever the size, even past what a BIGINT holds
    for huge in ("99999999999999999999", "99999999999999999999.99", "1000000000000000000.00"):
        assert faults(amount=huge) == [("amount.amount", "AMOUNT_TOO_LARGE")]


def test_every_fault_comes_back_at_once_in_field_order() -> None:
    assert faults(" ", "0", "QQQ", TODAY + timedelta(days=1)) == [
        ("orderRef", "REQUIRED"),
        ("amount.currency", "UNKNOWN_CURRENCY"),
        ("amount.amount", "AMOUNT_NOT_POSITIVE"),
        ("orderedOn", "FUTURE_DATE"),
    ]
    assert faults("R" * (MAX_REF + 1), "1,5", "CNY", date(1800, 1, 1)) == [
        ("orderRef", "TOO_LONG"),
        ("amount.amount", "INVALID_AMOUNT"),
        ("orderedOn", "INVALID_DATE"),
    ]
    assert faults(amount="-1") == [("amount.amount", "AMOUNT_NOT_POSITIVE")]


def test_a_change_takes_the_same_amount_rules() -> None:
    assert change_request(" SO-1 ", "150", "cny") == ("SO-1", Money(15_000, "CNY"))
    with pytest.raises(ValidationFailed) as caught:
        change_request("SO-1", "10000000000000.01", "CNY")
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("amount.amount", "AMOUNT_TOO_LARGE")
    ]


def test_a_shipment_and_a_cancellation_check_their_inputs() -> None:
    assert ship_request(" SO-1 ", TODAY, TODAY) == "SO-1"
    assert cancel_request("SO-1", " withdrawn ") == ("SO-1", "withdrawn")
    with pytest.raises(ValidationFailed) as shipped:
        ship_request("", TODAY + timedelta(days=1), TODAY)
    with pytest.raises(ValidationFailed) as cancelled:
        cancel_request("SO-1", "  ")
    assert [(e.field, e.code) for e in shipped.value.errors] == [
        ("orderRef", "REQUIRED"),
        ("shippedOn", "FUTURE_DATE"),
    ]
    assert [(e.field, e.code) for e in cancelled.value.errors] == [("reason", "REQUIRED")]


@pytest.mark.parametrize(
    ("status", "shipped", "invoiced", "message"),
    [
        (OrderStatus.OPEN, False, 0, None),
        (OrderStatus.CANCELLED, False, 0, None),
        (OrderStatus.CANCELLED, True, 100, None),
        (OrderStatus.SHIPPED, True, 0, "a shipped order is invoiced, not cancelled"),
        (OrderStatus.SHIPPED, True, 50_000, "a shipped order is invoiced, not cancelled"),
        (
            OrderStatus.OPEN,
            False,
            50_000,
            "a partly invoiced order is changed down to what is invoiced, not cancelled",
        ),
        (OrderStatus.INVOICED, False, 300_000, "an invoiced order is credited, not cancelled"),
        (OrderStatus.INVOICED, True, 300_000, "an invoiced order is credited, not cancelled"),
    ],
)
def test_only_an_order_neither_shipped_nor_invoiced_is_cancelled(
    status: OrderStatus, shipped: bool, invoiced: int, message: str | None
) -> None:
    refusal = cancel_refusal(status, shipped, invoiced)
    if message is None:
        assert refusal is None
    else:
        assert refusal is not None
        assert (refusal.code, refusal.field, refusal.message) == (
            "INVALID_STATUS",
            "orderRef",
            message,
        )
