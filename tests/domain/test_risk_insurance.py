"""Credit insurance rules: policy terms, buyer covers, the policy clock, covered amounts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError, ValidationFailed
from domain.risk import insurance_clock as clock_rules
from domain.risk import insurance_covers as cover_rules
from domain.risk import insurance_policy as policy_rules
from domain.risk.insurance_clock import Deadline, InvoiceFacts, Reason
from domain.risk.insurance_covers import CoverDecision, CoverStatus

D = date(2026, 3, 1)


def policy(**changes: object) -> policy_rules.PolicyTerms:
    data = policy_rules.PolicyInput(
        insurer="中国出口信用保险公司",
        policy_number="SINO-1",
        currency="CNY",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        max_liability_minor=10_000_000,
        premium_rate_percent="0.35",
    )
    return policy_rules.check_policy(replace(data, **changes))  # type: ignore[arg-type]


def invoice(issue: date = D, days: int = 30, **changes: object) -> InvoiceFacts:
    base = {
        "id": "i1",
        "customer_id": "c1",
        "currency": "CNY",
        "issue_date": issue,
        "due_date": issue + timedelta(days=days),
        "open_minor": 100_000,
    }
    return InvoiceFacts(**{**base, **changes})  # type: ignore[arg-type]


def test_defaults_come_from_the_practice_and_the_recovery_share_follows_the_indemnity() -> None:
    terms = policy()
    assert terms.indemnity_percent == Decimal("90")
    assert (terms.notification_days, terms.max_extension_days, terms.claim_filing_days) == (
        60,
        30,
        90,
    )
    assert terms.recovery_share_percent == terms.indemnity_percent


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"indemnity_percent": "100.5"}, "indemnityPercent", "INVALID_PERCENT"),
        ({"indemnity_percent": "abc"}, "indemnityPercent", "INVALID_PERCENT"),
        ({"premium_rate_percent": "-1"}, "premiumRatePercent", "INVALID_PERCENT"),
        ({"ends_on": date(2025, 12, 31)}, "endsOn", "ENDS_BEFORE_START"),
        ({"starts_on": date(1899, 12, 31)}, "startsOn", "INVALID_DATE"),
        ({"ends_on": date(2200, 1, 1)}, "endsOn", "INVALID_DATE"),
        ({"insurer": "x" * 201}, "insurer", "TOO_LONG"),
        ({"policy_number": " "}, "policyNumber", "REQUIRED"),
        ({"max_liability_minor": 0}, "maxLiability.amount", "AMOUNT_NOT_POSITIVE"),
        ({"deductible_kind": "SOMETIMES"}, "deductibleKind", "INVALID_KIND"),
        ({"claim_filing_days": 10}, "claimFilingDays", "DEADLINES_OUT_OF_ORDER"),
        ({"max_credit_days": 0}, "maxCreditDays", "INVALID_INPUT"),
    ],
)
def test_bad_policy_terms_are_refused_with_their_field(
    changes: dict[str, object], field: str, code: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        policy(**changes)
    assert (field, code) in [(e.field, e.code) for e in refused.value.errors]


def test_a_reduction_applies_to_deliveries_from_its_effective_date_only() -> None:
    decisions = [
        CoverDecision(CoverStatus.REQUESTED, 500_000, date(2026, 1, 5), 1),
        CoverDecision(CoverStatus.GRANTED, 400_000, date(2026, 1, 10), 2),
        CoverDecision(CoverStatus.REDUCED, 100_000, date(2026, 4, 1), 3),
        CoverDecision(CoverStatus.CANCELLED, 0, date(2026, 6, 1), 4),
    ]
    assert cover_rules.limit_on(decisions, date(2026, 1, 7)) is None  # requested, not decided
    assert cover_rules.limit_on(decisions, date(2026, 3, 31)) == 400_000
    assert cover_rules.limit_on(decisions, date(2026, 4, 1)) == 100_000
    assert cover_rules.limit_on(decisions, date(2026, 6, 1)) == 0


def test_cover_decisions_follow_the_cover_history() -> None:
    cover_rules.check_decision(None, 0, None, CoverStatus.REQUESTED, 100, D)
    with pytest.raises(DomainError, match="cannot become"):
        cover_rules.check_decision(None, 0, None, CoverStatus.GRANTED, 100, D)
    with pytest.raises(DomainError) as refused:
        cover_rules.check_decision(CoverStatus.GRANTED, 100, D, CoverStatus.REDUCED, 100, D)
    assert refused.value.code == "NOT_A_REDUCTION"
    with pytest.raises(DomainError) as refused:
        cover_rules.check_decision(
            CoverStatus.GRANTED, 100, D, CoverStatus.CANCELLED, 0, D - timedelta(1)
        )
    assert refused.value.code == "EFFECTIVE_BEFORE_LAST"
    assert (
        cover_rules.is_cut(100, 50)
        and cover_rules.is_cut(100, 0)
        and not cover_rules.is_cut(None, 100)
    )


def test_an_invoice_is_insured_with_a_cover_at_delivery_and_terms_within_the_maximum() -> None:
    terms = policy()
    assert clock_rules.at_delivery(invoice(), terms, 1) is Reason.INSURED
    assert clock_rules.at_delivery(invoice(), terms, None) is Reason.NO_COVER
    assert clock_rules.at_delivery(invoice(), terms, 0) is Reason.NO_COVER
    assert clock_rules.at_delivery(invoice(days=61), terms, 1) is Reason.TERMS_TOO_LONG
    assert clock_rules.at_delivery(invoice(currency="USD"), terms, 1) is Reason.NO_POLICY
    assert clock_rules.at_delivery(invoice(issue=date(2027, 1, 2)), terms, 1) is Reason.NO_POLICY


def test_the_clock_warns_before_each_deadline_and_a_missed_one_lapses_the_cover() -> None:
    terms = policy()
    inv = invoice()
    times = clock_rules.clock(inv.due_date, terms)
    assert times.notification_on == inv.due_date + timedelta(days=60)
    warn_day = times.notification_on - timedelta(days=clock_rules.WARN_DAYS)
    stages = {(n.deadline, n.stage) for n in clock_rules.notices(inv, times, warn_day)}
    assert (Deadline.NOTIFICATION, "WARNED") in stages
    assert (Deadline.STOP_DELIVERY, "MISSED") in stages  # the stop point passed at 30 days
    after = times.notification_on + timedelta(days=1)
    assert clock_rules.status(inv, terms, 1, [], after) is Reason.NOTIFICATION_MISSED
    told = invoice(notified_on=times.notification_on)
    assert clock_rules.status(told, terms, 1, [], after) is Reason.INSURED
    late = invoice(notified_on=after)
    assert clock_rules.status(late, terms, 1, [], after) is Reason.NOTIFICATION_MISSED
    paid = invoice(paid_off_on=times.notification_on - timedelta(days=1))
    assert clock_rules.status(paid, terms, 1, [], after) is Reason.INSURED
    past_claim = times.claim_by + timedelta(days=1)
    assert clock_rules.status(told, terms, 1, [], past_claim) is Reason.CLAIM_DEADLINE_MISSED
    claimed = invoice(notified_on=times.notification_on, claimed_on=times.claim_by)
    assert clock_rules.status(claimed, terms, 1, [], past_claim) is Reason.INSURED


def test_deliveries_after_an_unpaid_invoices_stop_point_are_uninsured() -> None:
    terms = policy()
    first = invoice()
    stop = clock_rules.clock(first.due_date, terms).stop_delivery_on
    later = invoice(issue=stop + timedelta(days=1), id="i2")
    assert clock_rules.status(later, terms, 1, [(stop, None)], later.issue_date) is (
        Reason.DELIVERED_AFTER_STOP
    )
    # paid before the delivery: the stop point no longer holds deliveries back
    assert clock_rules.status(later, terms, 1, [(stop, stop)], later.issue_date) is Reason.INSURED


def test_covered_amounts_take_the_limit_in_delivery_order() -> None:
    jan, feb, mar = date(2026, 1, 10), date(2026, 2, 10), date(2026, 3, 10)
    covered = cover_rules.covered_amounts(
        [("a", jan, 60_00, 100_00), ("b", feb, 60_00, 100_00), ("c", mar, 30_00, 50_00)]
    )
    assert covered == {"a": 60_00, "b": 40_00, "c": 0}


items = st.lists(
    st.tuples(
        st.integers(0, 400).map(lambda d: date(2026, 1, 1) + timedelta(days=d)),
        st.integers(1, 10**9),
    ),
    max_size=30,
)


@given(items, st.integers(0, 10**10))
def test_with_one_limit_the_cover_takes_the_open_amounts_up_to_the_limit(
    rows: list[tuple[date, int]], limit: int
) -> None:
    covered = cover_rules.covered_amounts([(str(n), d, o, limit) for n, (d, o) in enumerate(rows)])
    assert all(0 <= covered[str(n)] <= o for n, (_, o) in enumerate(rows))
    assert sum(covered.values()) == min(sum(o for _, o in rows), limit)


@given(items, st.lists(st.integers(0, 10**10), min_size=30, max_size=30))
def test_the_cover_never_takes_more_than_the_largest_limit(
    rows: list[tuple[date, int]], limits: list[int]
) -> None:
    covered = cover_rules.covered_amounts(
        [(str(n), d, o, limits[n]) for n, (d, o) in enumerate(rows)]
    )
    assert sum(covered.values()) <= max(limits[: len(rows)], default=0)


@given(st.integers(0, 10**12))
def test_premium_is_the_rate_on_turnover_rounded_half_up(turnover: int) -> None:
    exact = Decimal(turnover) * Decimal("0.35") / 100
    assert abs(policy_rules.premium(turnover, policy()) - exact) <= Decimal("0.5")


def test_only_a_cut_under_a_policy_requiring_cover_blocks_credit():
    assert cover_rules.blocks_credit(True, 100, 0) and cover_rules.blocks_credit(True, 100, 50)
    assert not cover_rules.blocks_credit(False, 100, 0)
    assert not cover_rules.blocks_credit(True, 50, 100) and not cover_rules.blocks_credit(
        True, None, 100
    )
