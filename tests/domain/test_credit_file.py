"""Completeness and review rules for the credit file."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from uuid import uuid4

from hypothesis import given
from hypothesis import strategies as st

from domain.credit_file import (
    DEFAULT_POLICY,
    CreditFileFacts,
    RequiredItem,
    completeness,
    next_review_due,
    parse_policy,
    policy_key,
    review_findings,
)
from domain.partners import ownership, ownership_conflict

TODAY = date(2026, 11, 24)
ALL_FIELDS = frozenset(i.key for i in DEFAULT_POLICY if i.max_age_days is None)
FRESH_DOCS = {"FINANCIAL_STATEMENT": TODAY, "CREDIT_REPORT": TODAY, "LEGAL_RECORD": TODAY}


def test_complete_file_scores_one() -> None:
    grade = completeness(CreditFileFacts(ALL_FIELDS, FRESH_DOCS), DEFAULT_POLICY, TODAY)
    assert grade.ratio == Decimal("1.0000") and grade.missing == ()


def test_stale_and_absent_items_are_listed() -> None:
    docs = {**FRESH_DOCS, "CREDIT_REPORT": TODAY - timedelta(days=400)}
    facts = CreditFileFacts(ALL_FIELDS - {"PARTNERS"}, docs)
    grade = completeness(facts, DEFAULT_POLICY, TODAY)
    assert {(m.key, m.reason) for m in grade.missing} == {
        ("PARTNERS", "ABSENT"),
        ("CREDIT_REPORT", "STALE"),
    }
    assert grade.ratio == Decimal("0.8182")  # 9 / 11, 4 decimals


def test_tenant_policy_overrides_default() -> None:
    policy = parse_policy([{"key": "INDUSTRY"}, {"key": "CREDIT_REPORT", "maxAgeDays": 30}])
    assert policy == (RequiredItem("INDUSTRY"), RequiredItem("CREDIT_REPORT", 30))
    assert parse_policy(None) == DEFAULT_POLICY


def test_review_overdue_and_incomplete() -> None:
    facts = CreditFileFacts(frozenset({"INDUSTRY"}), {})
    findings = review_findings(
        facts, DEFAULT_POLICY, TODAY - timedelta(days=400), date(2020, 1, 1), 365, TODAY
    )
    kinds = [f.kind for f in findings]
    assert kinds == ["CREDIT_FILE_STALE", "CREDIT_FILE_INCOMPLETE"]
    assert findings[0].evidence["daysOverdue"] == 35


def test_never_reviewed_counts_from_creation() -> None:
    facts = CreditFileFacts(ALL_FIELDS, FRESH_DOCS)
    assert (
        review_findings(facts, DEFAULT_POLICY, None, TODAY - timedelta(days=10), 365, TODAY) == []
    )
    assert (
        review_findings(facts, DEFAULT_POLICY, None, TODAY - timedelta(days=366), 365, TODAY)[
            0
        ].kind
        == "CREDIT_FILE_STALE"
    )


@given(st.integers(0, 2000))
def test_completeness_never_improves_as_documents_age(age: int) -> None:
    docs_young = {k: TODAY - timedelta(days=age) for k in FRESH_DOCS}
    docs_old = {k: TODAY - timedelta(days=age + 30) for k in FRESH_DOCS}
    young = completeness(CreditFileFacts(ALL_FIELDS, docs_young), DEFAULT_POLICY, TODAY)
    old = completeness(CreditFileFacts(ALL_FIELDS, docs_old), DEFAULT_POLICY, TODAY)
    assert old.ratio <= young.ratio


def test_next_review_is_one_interval_after_the_last() -> None:
    assert next_review_due(date(2026, 1, 31), 365) == date(2027, 1, 31)
    assert next_review_due(None, 365) is None


@given(st.dates(date(1900, 1, 1), date(2200, 1, 1)), st.integers(1, 3650), st.integers(0, 3650))
def test_a_review_is_overdue_exactly_when_its_due_date_has_passed(
    last: date, interval: int, elapsed: int
) -> None:
    # given a complete file reviewed on `last`, looked at `elapsed` days later
    facts = CreditFileFacts(ALL_FIELDS, {k: last for k in FRESH_DOCS})
    as_of = last + timedelta(days=elapsed)
    policy = [i for i in DEFAULT_POLICY if i.max_age_days is None]
    # when the review runs
    findings = review_findings(facts, policy, last, date.min, interval, as_of)
    # then it flags the file stale exactly when the next review date lies before that day
    assert bool(findings) == (next_review_due(last, interval) < as_of)


def test_policy_keys_have_one_spelling_and_the_old_one_still_reads() -> None:
    # stored before 0023 in camelCase, or typed so by a client: the same item
    old = parse_policy([{"key": "registrationNumber"}, {"key": "companyHistory"}])
    assert old == (RequiredItem("REGISTRATION_NUMBER"), RequiredItem("COMPANY_HISTORY"))
    assert policy_key("FINANCIAL_STATEMENT") == "FINANCIAL_STATEMENT"
    assert policy_key(" annualSales ") == "ANNUAL_SALES"
    assert all(i.key == policy_key(i.key) for i in DEFAULT_POLICY)


@given(st.integers(0, 11))
def test_ratio_is_a_four_decimal_share(absent: int) -> None:
    present = frozenset(list(ALL_FIELDS)[: max(0, len(ALL_FIELDS) - absent)])
    grade = completeness(CreditFileFacts(present, FRESH_DOCS), DEFAULT_POLICY, TODAY)
    total = len(DEFAULT_POLICY)
    assert grade.ratio == (Decimal(total - len(grade.missing)) / total).quantize(Decimal("0.0001"))
    assert grade.ratio.as_tuple().exponent == -4


def test_ownership_reads_control_from_either_side() -> None:
    p, s = uuid4(), uuid4()
    assert ownership(p, s, "SUBSIDIARY") == (p, s) == ownership(s, p, "PARENT")
    assert ownership(p, s, "GUARANTOR") is None
    on_file = [(p, s, "SUBSIDIARY")]
    assert ownership_conflict(p, s, "KEY_BUYER", on_file) is None
    opposite = ownership_conflict(s, p, "SUBSIDIARY", on_file)
    repeated = ownership_conflict(s, p, "PARENT", on_file)
    assert opposite is not None and opposite.code == "CONTRADICTORY_RELATION"
    assert repeated is not None and repeated.code == "DUPLICATE_RELATION"
