"""Applications, agreements and reviews: the pure rules (four eyes, dates, rates, outcomes)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit import applications as app
from domain.credit import credit_agreements as agr
from domain.credit import reviews as rev
from domain.errors import DomainError, ValidationFailed
from domain.money import Money

TODAY = date(2026, 6, 30)
ASKED = app.Grant(Money(50_000_00, "CNY"), "NET30", TODAY, date(2027, 6, 29))


def _snapshot(**changes: Any) -> dict[str, Any]:
    base = {
        "status": "PENDING",
        "applicant": "sales-1",
        "decidedBy": "manager-1",
        "requiredOpinions": ["FINANCE", "SALES", "LEGAL"],
        "opinions": [
            {"role": r, "recommendation": "SUPPORT"} for r in ("FINANCE", "SALES", "LEGAL")
        ],
        "reason": "sound customer",
        "verdict": "APPROVE",
        "requested": ASKED.to_json(),
        "offered": None,
    }
    return {**base, **changes}


def _codes(exc: pytest.ExceptionInfo[Any]) -> set[str]:
    value = exc.value
    if isinstance(value, ValidationFailed):
        return {e.code for e in value.errors}
    return {value.code}


def test_an_approval_grants_what_was_asked() -> None:
    out = app.decide_application(_snapshot())
    assert out["outcome"] == "APPROVED"
    assert app.Grant.from_json(out["granted"]) == ASKED


def test_the_applicant_cannot_decide_their_own_application() -> None:
    with pytest.raises(DomainError) as exc:
        app.decide_application(_snapshot(decidedBy="sales-1"))
    assert _codes(exc) == {"SELF_APPROVAL"}


def test_a_decision_waits_for_every_required_opinion() -> None:
    with pytest.raises(DomainError) as exc:
        app.decide_application(_snapshot(opinions=[]))
    assert _codes(exc) == {"OPINIONS_MISSING"}


def test_a_counter_offer_must_differ_from_the_request() -> None:
    with pytest.raises(DomainError) as exc:
        app.decide_application(_snapshot(verdict="COUNTER_OFFER", offered=ASKED.to_json()))
    assert _codes(exc) == {"SAME_AS_REQUESTED"}
    lower = app.Grant(Money(20_000_00, "CNY"), "NET30", TODAY, ASKED.valid_to)
    out = app.decide_application(_snapshot(verdict="COUNTER_OFFER", offered=lower.to_json()))
    assert out["outcome"] == "COUNTER_OFFERED"
    assert out["granted"]["limit"]["minor"] == 20_000_00


def test_a_rejection_grants_nothing_and_needs_a_reason() -> None:
    assert app.decide_application(_snapshot(verdict="REJECT"))["granted"] is None
    with pytest.raises(DomainError) as exc:
        app.decide_application(_snapshot(verdict="REJECT", reason="  "))
    assert _codes(exc) == {"REQUIRED"}


def test_only_a_pending_application_is_decided() -> None:
    with pytest.raises(DomainError) as exc:
        app.decide_application(_snapshot(status="APPROVED"))
    assert _codes(exc) == {"INVALID_STATUS"}


def test_an_opinion_per_role_by_that_role_never_the_applicant() -> None:
    pending = app.ApplicationStatus.PENDING
    app.check_opinion("s", "f", frozenset({"finance"}), app.OpinionRole.FINANCE, pending, [])
    cases = [
        ("s", frozenset({"finance"}), [], "SELF_APPROVAL"),
        ("f", frozenset({"sales"}), [], "NOT_AN_APPROVER"),
        ("f", frozenset({"finance"}), [app.OpinionRole.FINANCE], "OPINION_GIVEN"),
    ]
    for actor, roles, given_, code in cases:
        with pytest.raises(DomainError) as exc:
            app.check_opinion("s", actor, roles, app.OpinionRole.FINANCE, pending, given_)
        assert _codes(exc) == {code}


def test_a_new_application_reports_every_problem_at_once() -> None:
    bad = app.Grant(Money(0, "CNY"), None, TODAY, date(2026, 1, 1))
    with pytest.raises(ValidationFailed) as exc:
        app.check_application(bad, " ", "x" * 101, ["a", "a"], [])
    assert _codes(exc) == {"AMOUNT_NOT_POSITIVE", "INVALID_DATE", "REQUIRED", "TOO_LONG",
                           "INVALID_INPUT"}  # fmt: skip


@given(st.dates(date(1900, 1, 1), date(2199, 1, 1)), st.integers(0, 60))
def test_the_sla_is_passed_only_after_its_last_day(submitted: date, days: int) -> None:
    due = app.sla_due_on(submitted, days)
    assert not app.past_sla(due, due)
    assert app.past_sla(due, date.fromordinal(due.toordinal() + 1))


def _agreement(**changes: Any) -> agr.AgreementTerms:
    args: dict[str, Any] = {
        "number": "SA-1",
        "limit": Money(100_000_00, "CNY"),
        "terms_code": "net30",
        "rate": None,
        "guarantees": [],
        "venue": "ARBITRATION",
        "venue_name": "Shanghai International Arbitration Center",
        "signed_on": None,
        "valid_from": TODAY,
        "valid_to": None,
        "document_ref": None,
        "today": TODAY,
    }
    return agr.check_agreement(**{**args, **changes})


def test_an_agreement_defaults_to_a_year_at_the_usual_late_interest() -> None:
    terms = _agreement()
    assert terms.late_interest_daily_rate == Decimal("0.0005")
    assert terms.valid_to == date(2027, 6, 29)
    assert terms.terms_code == "NET30"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"valid_to": date(2026, 6, 1)}, "INVALID_DATE"),
        ({"rate": "0.02"}, "INVALID_INPUT"),
        ({"rate": "-0.0001"}, "INVALID_INPUT"),
        ({"rate": "abc"}, "INVALID_AMOUNT"),
        ({"venue": "DUEL"}, "INVALID_KIND"),
        ({"signed_on": date(2026, 7, 1)}, "FUTURE_DATE"),
        ({"limit": Money(0, "CNY")}, "AMOUNT_NOT_POSITIVE"),
        ({"limit": Money(10**15 + 1, "CNY")}, "AMOUNT_TOO_LARGE"),
        (
            {"guarantees": [agr.GuaranteeIn("BANK_GUARANTEE", "ICBC", Money(10**15 + 1, "CNY"))]},
            "AMOUNT_TOO_LARGE",
        ),
        ({"guarantees": [agr.GuaranteeIn("BANK_GUARANTEE", " ")]}, "REQUIRED"),
    ],
)
def test_a_bad_agreement_is_refused(changes: dict[str, Any], code: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _agreement(**changes)
    assert code in _codes(exc)


def test_an_agreement_expiring_within_the_lead_time() -> None:
    began = date(2025, 7, 21)
    assert agr.expiring(began, date(2026, 7, 20), [], TODAY, 30)
    assert not agr.expiring(began, date(2026, 8, 20), [], TODAY, 30)
    assert agr.lapsed(date(2026, 6, 29), TODAY)
    # a signed renewal to follow, or not yet in force: no review yet
    assert not agr.expiring(began, date(2026, 7, 20), [date(2026, 7, 21)], TODAY, 30)
    assert agr.expiring(began, date(2026, 7, 20), [date(2025, 1, 1)], TODAY, 30)
    assert not agr.expiring(date(2026, 7, 1), date(2026, 7, 20), [], TODAY, 30)


def test_a_signed_agreement_is_not_in_force_before_its_first_day() -> None:
    s = agr.AgreementStatus
    start, end = date(2026, 7, 1), date(2027, 6, 30)
    assert agr.status_on(s.ACTIVE, start, end, None, TODAY) is s.NOT_YET_IN_FORCE
    assert agr.status_on(s.ACTIVE, start, end, None, start) is s.ACTIVE
    assert agr.status_on(s.ACTIVE, start, end, None, end) is s.ACTIVE
    assert agr.status_on(s.ACTIVE, start, end, None, date(2027, 7, 1)) is s.EXPIRED
    renewal = date(2027, 1, 1)
    assert agr.status_on(s.ACTIVE, start, end, renewal, date(2026, 12, 31)) is s.ACTIVE
    assert agr.status_on(s.ACTIVE, start, end, renewal, renewal) is s.SUPERSEDED
    for recorded in (s.DRAFT, s.EXPIRED, s.SUPERSEDED):
        assert agr.status_on(recorded, start, end, None, start) is recorded


DAYS = st.dates(date(2024, 1, 1), date(2028, 12, 31))


@given(DAYS, st.integers(0, 800), DAYS, st.lists(DAYS, max_size=4))
def test_a_signed_agreement_reads_active_exactly_while_it_binds(
    start: date, days: int, as_of: date, others: list[date]
) -> None:
    end = start + timedelta(days=days)
    replaced = agr.replaced_from(start, end, others)
    status = agr.status_on(agr.AgreementStatus.ACTIVE, start, end, replaced, as_of)
    binds = agr.in_force(start, end, as_of) and not any(start < o <= as_of for o in others)
    assert (status is agr.AgreementStatus.ACTIVE) == binds
    assert (status is agr.AgreementStatus.NOT_YET_IN_FORCE) == (as_of < start)


def test_signing_one_ahead_keeps_the_current_one_until_it_starts() -> None:
    year = (date(2026, 1, 1), date(2026, 12, 31))
    assert agr.keeps_running(*year, date(2026, 7, 15), TODAY)
    assert not agr.keeps_running(*year, TODAY, TODAY)  # the new one starts today
    assert not agr.keeps_running(date(2026, 8, 1), date(2027, 7, 31), date(2026, 9, 1), TODAY)
    assert not agr.keeps_running(date(2025, 1, 1), date(2025, 12, 31), date(2026, 9, 1), TODAY)


def test_change_limit_without_a_limit_is_refused() -> None:
    with pytest.raises(ValidationFailed) as exc:
        rev.check_outcome(rev.OutcomeIn("CHANGE_LIMIT", "sales grew"), "B")
    assert _codes(exc) == {"REQUIRED"}
    assert exc.value.errors[0].field == "limit"


def test_an_upgrade_must_move_up_and_a_downgrade_down() -> None:
    up = rev.check_outcome(rev.OutcomeIn("UPGRADE", "better", rating_class="A"), "B")
    assert up.rating_class is not None and up.rating_class.value == "A"
    for outcome, new in (("UPGRADE", "C"), ("DOWNGRADE", "A"), ("DOWNGRADE", "B")):
        with pytest.raises(ValidationFailed) as exc:
            rev.check_outcome(rev.OutcomeIn(outcome, "why", rating_class=new), "B")
        assert _codes(exc) == {"INVALID_CLASS_MOVE"}


def test_keep_needs_no_reason_but_a_change_does() -> None:
    assert rev.check_outcome(rev.OutcomeIn("KEEP", None), "A").outcome == rev.ReviewOutcome.KEEP
    with pytest.raises(ValidationFailed) as exc:
        rev.check_outcome(rev.OutcomeIn("HOLD", None), "A")
    assert _codes(exc) == {"REQUIRED"}


def test_reviews_fall_due_by_the_class_interval() -> None:
    assert rev.next_scheduled(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert rev.next_scheduled(date(2026, 1, 31), 12) == date(2027, 1, 31)
    assert rev.overdue(date(2026, 6, 29), TODAY) and not rev.overdue(TODAY, TODAY)


@given(st.integers(1, 10**12), st.integers(1, 10**12))
def test_a_large_order_is_above_half_the_limit(order: int, limit: int) -> None:
    big = rev.large_order(Money(order, "CNY"), Money(limit, "CNY"), Decimal("0.5"))
    assert big == (2 * order > limit)
    assert not rev.large_order(Money(order, "CNY"), None, Decimal("0.5"))
    assert not rev.large_order(Money(order, "CNY"), Money(limit, "USD"), Decimal("0.5"))
