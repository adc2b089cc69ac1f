"""Late interest: worked examples and invariants."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.interest import (
    LATE_INTEREST_PER_DAY,
    accrued_interest,
    interest_start,
    parse_daily_rate,
    principal_days,
)

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
    assert parse_daily_rate("0.0005", "rate") == Decimal("0.0005")
    for bad in ("0.01", "-0.0001", "abc", "NaN", "sNaN", "0.000000001", " 0.0005", "5e-4"):
        with pytest.raises(DomainError):
            parse_daily_rate(bad, "rate")


# --- simple daily interest as invariants -------------------------------------------------------

ROUNDING = Decimal("0.5")  #: one rounding half up, at the end, moves a figure at most this much


def naive_principal_days(
    amount: int, reductions: list[tuple[date, int]], first: date, last: date, grace: int
) -> int:
    """Day by day: the principal outstanding on each interest day (a payment on day P is
    still owed on P, not on P + 1), summed."""
    total, day = 0, max(first, interest_start(DUE, grace))
    while day <= last:
        total += amount - sum(a for on, a in reductions if on < day)
        day += timedelta(days=1)
    return total


reduction_lists = st.lists(
    st.tuples(st.integers(-30, 200).map(lambda d: DUE + timedelta(days=d)), st.integers(1, 10**7)),
    max_size=4,
)


@given(st.integers(1, 10**9), reduction_lists, st.integers(-10, 200), st.integers(0, 30))
def test_interest_is_simple_daily_interest_on_what_is_owed_each_day(
    amount: int, reductions: list[tuple[date, int]], days: int, grace: int
) -> None:
    as_of = DUE + timedelta(days=days)
    base = naive_principal_days(amount, reductions, date.min, as_of, grace)
    assert principal_days(amount, DUE, reductions, date.min, as_of, grace) == base
    got = accrued_interest(amount, DUE, reductions, as_of, grace_days=grace)
    assert abs(got - max(Decimal(0), base * LATE_INTEREST_PER_DAY)) <= ROUNDING


@given(st.integers(1, 10**9), reduction_lists, st.integers(0, 30), st.integers(-400, 0))
def test_nothing_accrues_until_the_due_date_plus_grace(
    amount: int, reductions: list[tuple[date, int]], grace: int, before: int
) -> None:
    as_of = DUE + timedelta(days=grace + before)
    assert accrued_interest(amount, DUE, reductions, as_of, grace_days=grace) == 0
    first_day = DUE + timedelta(days=grace + 1)  # then one day's interest on the whole amount
    assert interest_start(DUE, grace) == first_day
    assert principal_days(amount, DUE, [], date.min, first_day, grace) == amount


@given(
    st.integers(1, 10**9),
    reduction_lists,
    st.integers(-20, 200),
    st.integers(0, 200),
    st.integers(0, 200),
    st.integers(0, 10),
)
def test_adjacent_periods_add_up_to_their_union(
    amount: int, reductions: list[tuple[date, int]], start: int, mid: int, end: int, grace: int
) -> None:
    first = DUE + timedelta(days=start)
    middle = first + timedelta(days=mid)
    last = middle + timedelta(days=end)

    def base(a: date, b: date) -> int:
        return principal_days(amount, DUE, reductions, a, b, grace)

    whole = base(first, last)
    assert whole == base(first, middle) + base(middle + timedelta(days=1), last)
    # billed month by month, each period rounded once: within a unit of the whole per period
    parts = [base(first, middle), base(middle + timedelta(days=1), last)]
    billed = sum(round(Decimal(p) * LATE_INTEREST_PER_DAY) for p in parts)
    assert abs(billed - Decimal(whole) * LATE_INTEREST_PER_DAY) <= len(parts) * ROUNDING
