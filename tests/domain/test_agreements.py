"""Promises and payment plans: acceptable, kept or broken, completed or defaulted."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.activities import check_kind, check_occurred_at
from domain.agreements import (
    BROKEN_PROMISE,
    MISSED_INSTALMENT,
    ActivePlan,
    AgreementStatus,
    DuePromise,
    Instalment,
    check_promise,
    check_schedule,
    plan_outcome,
    promise_outcome,
)
from domain.errors import DomainError

TODAY = date(2026, 11, 30)
ID = UUID(int=7)


@given(st.integers(1, 10**9), st.integers(0, 2 * 10**9))
def test_a_promise_is_kept_exactly_when_the_cash_covers_it(amount, paid):
    outcome = promise_outcome(DuePromise(ID, amount, paid))
    assert (outcome.status is AgreementStatus.KEPT) == (paid >= amount)
    assert outcome.breach == (None if paid >= amount else BROKEN_PROMISE)


def plan(paid: int) -> ActivePlan:
    """500.00 due on the 10th, 500.00 on the 20th."""
    return ActivePlan(
        ID, (Instalment(date(2026, 12, 10), 500_00), Instalment(date(2026, 12, 20), 500_00)), paid
    )


@pytest.mark.parametrize(
    ("as_of", "paid", "status"),
    [
        (date(2026, 12, 10), 0, None),  # the first instalment is due today, not missed
        (date(2026, 12, 11), 499_99, AgreementStatus.DEFAULTED),
        (date(2026, 12, 11), 500_00, None),
        (date(2026, 12, 21), 500_00, AgreementStatus.DEFAULTED),
        (date(2026, 12, 5), 1000_00, AgreementStatus.COMPLETED),  # paid early
    ],
)
def test_plan_outcomes(as_of, paid, status):
    outcome = plan_outcome(plan(paid), as_of)
    assert (outcome.status if outcome else None) == status
    if status is AgreementStatus.DEFAULTED:
        assert outcome is not None and outcome.breach == MISSED_INSTALMENT


def test_a_promise_needs_a_positive_amount_and_a_date_from_today():
    money, errors = check_promise("100.00", "CNY", TODAY, TODAY)
    assert money is not None and money.minor == 100_00 and errors == []
    _, errors = check_promise("0", "CNY", TODAY - timedelta(days=1), TODAY)
    assert [(e.code, e.field) for e in errors] == [
        ("AMOUNT_NOT_POSITIVE", "amount.amount"),
        ("INVALID_DATE", "promisedOn"),
    ]
    money, errors = check_promise("1.001", "CNY", TODAY, TODAY)
    assert money is None and [(e.code, e.field) for e in errors] == [
        ("INVALID_AMOUNT", "amount.amount")
    ]


def test_a_schedule_is_positive_from_today_and_in_date_order():
    schedule, errors = check_schedule(
        "CNY", [(TODAY, "1.00"), (TODAY + timedelta(days=1), "2.00")], TODAY
    )
    assert errors == [] and [i.amount_minor for i in schedule] == [100, 200]
    _, errors = check_schedule(
        "CNY",
        [(TODAY + timedelta(days=2), "-1"), (TODAY - timedelta(days=1), "x")],
        TODAY,
    )
    assert [(e.code, e.field) for e in errors] == [
        ("AMOUNT_NOT_POSITIVE", "instalments.0.amount"),
        ("INVALID_AMOUNT", "instalments.1.amount"),
        ("INVALID_DATE", "instalments.1.dueOn"),
        ("INVALID_DATE", "instalments"),
    ]
    _, errors = check_schedule("CNY", [], TODAY)
    assert [(e.code, e.field) for e in errors] == [("REQUIRED", "instalments")]


def test_an_activity_is_of_a_known_kind_and_has_happened():
    now = datetime(2026, 11, 30, 9, tzinfo=UTC)
    check_kind("CALL")
    check_kind("DUNNING_LETTER")
    check_occurred_at(now + timedelta(minutes=4), now)  # a skewed clock
    with pytest.raises(DomainError) as kind:
        check_kind("TELEPATHY")
    with pytest.raises(DomainError) as future:
        check_occurred_at(now + timedelta(hours=1), now)
    assert (kind.value.code, future.value.code) == ("INVALID_KIND", "FUTURE_DATE")
