"""Late interest: worked examples and invariants."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.interest import accrued_interest, parse_daily_rate

DUE = date(2026, 1, 31)


def test_ten_days_on_ten_thousand_is_fifty():
    # 10,000.00 for 10 days at 0.05% a day = 50.00
    assert accrued_interest(1_000_000, DUE, [], DUE + timedelta(days=10)) == 5_000


def test_nothing_before_due_or_within_grace():
    assert accrued_interest(1_000_000, DUE, [], DUE) == 0
    assert accrued_interest(1_000_000, DUE, [], DUE + timedelta(days=5), grace_days=5) == 0
    assert accrued_interest(1_000_000, DUE, [], DUE + timedelta(days=6), grace_days=5) == 500


def test_part_payment_stops_interest_on_what_it_paid():
    # half paid on day 4 (interest runs through the payment day), the rest open to day 10
    paid_on = DUE + timedelta(days=4)
    got = accrued_interest(1_000_000, DUE, [(paid_on, 500_000)], DUE + timedelta(days=10))
    assert got == 500_000 * 4 * 5 // 10_000 + 500_000 * 10 * 5 // 10_000  # 10.00 + 25.00


def test_reversal_restores_the_principal():
    on = DUE + timedelta(days=2)
    got = accrued_interest(
        1_000_000, DUE, [(on, 1_000_000), (on, -1_000_000)], DUE + timedelta(days=10)
    )
    assert got == accrued_interest(1_000_000, DUE, [], DUE + timedelta(days=10))


def test_agreement_rate_override():
    assert (
        accrued_interest(
            1_000_000, DUE, [], DUE + timedelta(days=10), rate_per_day=Decimal("0.0003")
        )
        == 3_000
    )


@given(st.integers(1, 10**9), st.integers(0, 800), st.integers(0, 800))
def test_interest_never_falls_as_time_passes(amount: int, a: int, b: int):
    early, late = sorted((a, b))
    assert accrued_interest(amount, DUE, [], DUE + timedelta(days=early)) <= accrued_interest(
        amount, DUE, [], DUE + timedelta(days=late)
    )


@given(st.integers(1, 10**9), st.integers(0, 400), st.integers(1, 400))
def test_paying_early_never_costs_more(amount: int, paid_after: int, horizon: int):
    as_of = DUE + timedelta(days=horizon)
    paid = accrued_interest(amount, DUE, [(DUE + timedelta(days=paid_after), amount)], as_of)
    assert paid <= accrued_interest(amount, DUE, [], as_of)


def test_daily_rate_text_is_checked():
    assert parse_daily_rate(" 0.0005 ", "rate") == Decimal("0.0005")
    for bad in ("0.01", "-0.0001", "abc", "NaN", "0.000000001"):
        with pytest.raises(DomainError):
            parse_daily_rate(bad, "rate")
