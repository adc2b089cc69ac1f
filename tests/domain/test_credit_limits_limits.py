"""Limits: which one is in force, who approves, four eyes, the recommended amount."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.class_policy import ApprovalMatrix, effective
from domain.credit.limit_decision import decide_limit
from domain.credit.limits import (
    ApprovalTier,
    LimitKind,
    LimitRecord,
    LimitScope,
    RecommendationInputs,
    check_approval,
    credit_days,
    in_force,
    recommend,
    requirement,
    validate_request,
)
from domain.credit.rates import ExchangeRate, RateBook
from domain.errors import DomainError, ValidationFailed
from domain.money import Money
from domain.terms import Instalment, PaymentTerms, TermsKind

DAY = date(2026, 6, 30)
MATRIX = ApprovalMatrix(Decimal("100000"), Decimal("1000000"))


def record(
    seq: int, minor: int, start: date, end: date | None = None, kind: str = "STANDARD"
) -> LimitRecord:
    return LimitRecord(
        f"l{seq}", seq, LimitScope.CUSTOMER, LimitKind(kind), Money(minor, "CNY"), start, end
    )


def test_the_newest_started_limit_is_in_force_and_a_future_one_waits() -> None:
    history = [
        record(1, 100, date(2025, 1, 1)),
        record(2, 200, date(2026, 1, 1)),
        record(3, 999, date(2026, 9, 1)),  # approved later, starts later
        record(4, 50, date(2026, 6, 1), date(2026, 7, 31), "TEMPORARY"),
        record(5, 70, date(2026, 1, 1), date(2026, 2, 1), "TEMPORARY"),  # over
    ]
    force = in_force(history, DAY)
    assert force.standard is not None and force.standard.seq == 2
    assert [i.seq for i in force.increases] == [4]
    assert not force.expired
    assert in_force(history, date(2026, 9, 1)).standard.seq == 3  # type: ignore[union-attr]


def test_a_limit_past_its_end_is_expired_not_absent() -> None:
    force = in_force([record(1, 100, date(2025, 1, 1), date(2026, 6, 29))], DAY)
    assert force.standard is not None and force.expired


@pytest.mark.parametrize(
    ("major", "tier", "count"),
    [
        ("100000.00", ApprovalTier.ANALYST, 1),
        ("100000.01", ApprovalTier.MANAGER, 1),
        ("1000000.00", ApprovalTier.MANAGER, 1),
        ("1000000.01", ApprovalTier.TWO_MANAGERS, 2),
    ],
)
def test_the_matrix_decides_the_tier(major: str, tier: ApprovalTier, count: int) -> None:
    needed = requirement(Money.parse(major, "CNY"), MATRIX)
    assert (needed.tier, needed.count) == (tier, count)


def test_four_eyes() -> None:
    analyst = requirement(Money(1, "CNY"), MATRIX)
    two = requirement(Money(10**12, "CNY"), MATRIX)
    with pytest.raises(DomainError, match="requester") as own:
        check_approval("ana", "ana", frozenset({"credit_manager"}), analyst, [])
    assert own.value.code == "SELF_APPROVAL"
    with pytest.raises(DomainError) as same:
        check_approval("ana", "max", frozenset({"credit_manager"}), two, ["max"])
    assert same.value.code == "SAME_APPROVER"
    with pytest.raises(DomainError) as weak:
        check_approval("ana", "bob", frozenset({"credit_analyst"}), two, [])
    assert weak.value.code == "NOT_AN_APPROVER"
    assert check_approval("ana", "bob", frozenset({"credit_analyst"}), analyst, []) == (
        "credit_analyst"
    )
    assert check_approval("ana", "mia", frozenset({"credit_manager"}), two, ["max"]) == (
        "credit_manager"
    )


def test_a_bad_request_is_refused_whole() -> None:
    with pytest.raises(ValidationFailed) as refused:
        validate_request(
            Money(0, "CNY"), LimitKind.TEMPORARY, date(2026, 1, 1), None, "x" * 2001, today=DAY
        )
    assert sorted((e.field, e.code) for e in refused.value.errors) == [
        ("amount.amount", "AMOUNT_NOT_POSITIVE"),
        ("note", "TOO_LONG"),
        ("validTo", "REQUIRED"),
    ]
    with pytest.raises(ValidationFailed) as backwards:
        validate_request(
            Money(-1, "CNY"),
            LimitKind.STANDARD,
            date(2026, 2, 1),
            date(2026, 1, 1),
            None,
            today=DAY,
        )
    assert sorted(e.code for e in backwards.value.errors) == ["INVALID_PERIOD", "NEGATIVE_AMOUNT"]


def test_credit_days_follow_the_terms() -> None:
    assert credit_days(PaymentTerms(TermsKind.NET, net_days=45)) == 45
    assert credit_days(PaymentTerms(TermsKind.END_OF_MONTH, eom_plus_days=30)) == 45
    split = (Instalment(Decimal(50), 30), Instalment(Decimal(50), 90))
    assert credit_days(PaymentTerms(TermsKind.INSTALMENTS, instalments=split)) == 60


def test_recommended_limit_takes_the_smaller_basis_times_the_class_factor() -> None:
    # capital 10,000,000 x 20% = 2,000,000; sales 100,000,000 x 10% x 60/365 = 1,643,835.61
    policy = effective({})
    inputs = RecommendationInputs(
        "CNY", Money.parse("10000000", "CNY"), Money.parse("100000000", "CNY"), "B", 60
    )
    result = recommend(inputs, policy.formula, policy.for_class("B"), "CNY", RateBook(DAY))
    assert result.capital_basis == Money.parse("2000000.00", "CNY")
    assert result.sales_basis == Money.parse("1643835.61", "CNY")
    # x 0.70 = 1,150,684.92, rounded down to whole thousands
    assert result.amount == Money.parse("1150000.00", "CNY")
    assert result.missing == ()


def test_recommendation_converts_capital_and_says_what_is_missing() -> None:
    policy = effective({})
    book = RateBook.of(DAY, [ExchangeRate("r1", "USD", "CNY", Decimal("7"), DAY)])
    inputs = RecommendationInputs("CNY", Money.parse("1000000", "USD"), None, "A", 60)
    result = recommend(inputs, policy.formula, policy.for_class("A"), "CNY", book)
    assert result.capital is not None and result.capital.rate is not None
    assert result.amount == Money.parse("1400000.00", "CNY")
    assert result.missing == ("annualSales",)
    none = recommend(
        RecommendationInputs("CNY", None, None, None, 30), policy.formula, None, "CNY", book
    )
    assert none.amount is None and none.missing == (
        "registeredCapital",
        "annualSales",
        "ratingClass",
    )


@given(
    capital=st.integers(min_value=0, max_value=10**13),
    sales=st.integers(min_value=0, max_value=10**13),
    days=st.integers(min_value=0, max_value=365),
)
def test_a_better_class_is_never_recommended_less(capital: int, sales: int, days: int) -> None:
    policy = effective({})
    amounts = [
        recommend(
            RecommendationInputs("CNY", Money(capital, "CNY"), Money(sales, "CNY"), c, days),
            policy.formula,
            policy.for_class(c),
            "CNY",
            RateBook(DAY),
        ).amount
        for c in "ABCD"
    ]
    minors = [a.minor for a in amounts if a is not None]
    assert minors == sorted(minors, reverse=True)
    assert minors[-1] == 0  # D trades cash before delivery


def test_a_limit_decision_replays_from_its_snapshot() -> None:
    from domain.credit.policy_snapshot import to_json

    snapshot = {
        "asOf": DAY.isoformat(),
        "policy": to_json(effective({})),
        "rates": [],
        "request": {
            "amount": {"minor": 200_000_000, "currency": "CNY"},
            "requestedBy": "ana",
        },
        "approvals": [
            {"approver": "max", "roles": ["credit_manager"]},
            {"approver": "mia", "roles": ["credit_manager"]},
        ],
        "rejectedBy": None,
        "recommendation": None,
    }
    outcome = decide_limit(snapshot)
    assert (outcome["status"], outcome["tier"], outcome["approvedBy"]) == (
        "APPROVED",
        "TWO_MANAGERS",
        ["max", "mia"],
    )
    assert decide_limit({**snapshot, "approvals": snapshot["approvals"][:1]})["status"] == "PENDING"
