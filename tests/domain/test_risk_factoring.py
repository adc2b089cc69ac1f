"""Factoring rules: agreements, eligibility, funding, interest and the sub-ledger position."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import ValidationFailed
from domain.risk import factoring as f
from domain.risk.factoring import Candidate, DebtorLimit, Entry, EntryKind, Ineligible

ON = date(2026, 5, 1)


def agreement(recourse: bool = True, **changes: object) -> f.AgreementTerms:
    data = {
        "factor": "平安保理",
        "reference": "F-1",
        "recourse": recourse,
        "disclosed": True,
        "currencies": ["CNY"],
        "commission_percent": "0.5",
        "interest_percent": "6",
        "starts_on": date(2026, 1, 1),
        **changes,
    }
    return f.check_agreement(f.AgreementInput(**data))  # type: ignore[arg-type]


def candidate(n: int = 1, **changes: object) -> Candidate:
    base = {
        "invoice_id": f"i{n}",
        "customer_id": "c1",
        "currency": "CNY",
        "issue_date": ON,
        "due_date": ON + timedelta(days=30),
        "open_minor": 100_000,
        "disputed_minor": 0,
        "assigned": False,
        "rating_class": "A",
    }
    return Candidate(**{**base, **changes})  # type: ignore[arg-type]


def test_without_recourse_only_good_customers_by_default_and_never_c_or_d() -> None:
    assert agreement(recourse=False).allowed_classes == ("A", "B")
    assert agreement(recourse=True).allowed_classes == ("A", "B", "C", "D")
    with pytest.raises(ValidationFailed) as refused:
        agreement(recourse=False, allowed_classes=["A", "C"])
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("allowedClasses", "CLASS_NOT_ALLOWED")
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"advance_percent": "101"}, "advancePercent"),
        ({"currencies": ["XXX"]}, "currencies.0"),
        ({"currencies": []}, "currencies"),
        ({"factor": "x" * 201}, "factor"),
        ({"starts_on": date(2200, 1, 1)}, "startsOn"),
        ({"max_terms_days": -1}, "maxTermsDays"),
    ],
)
def test_bad_agreements_are_refused(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        agreement(**changes)
    assert field in [e.field for e in refused.value.errors]


def test_every_reason_an_invoice_cannot_be_assigned() -> None:
    terms = agreement()
    offered = [
        candidate(1),
        candidate(2, open_minor=0),
        candidate(3, disputed_minor=1),
        candidate(4, due_date=ON - timedelta(days=1), issue_date=ON - timedelta(days=31)),
        candidate(5, assigned=True),
        candidate(6, currency="USD"),
        candidate(7, due_date=ON + timedelta(days=90)),
    ]
    reasons = f.eligibility(offered, terms, {}, ON)
    assert reasons == {
        "i1": [],
        "i2": [Ineligible.INVOICE_SETTLED],
        "i3": [Ineligible.INVOICE_DISPUTED],
        "i4": [Ineligible.INVOICE_OVERDUE],
        "i5": [Ineligible.ALREADY_ASSIGNED],
        "i6": [Ineligible.CURRENCY_NOT_ALLOWED],
        "i7": [Ineligible.TERMS_TOO_LONG],
    }


def test_a_non_recourse_factor_approves_each_debtor_and_limits_are_used_in_order() -> None:
    terms = agreement(recourse=False)
    offered = [candidate(1), candidate(2), candidate(3, customer_id="c2", rating_class="C")]
    limits = {"c1": DebtorLimit(150_000, True, used_minor=0)}
    reasons = f.eligibility(offered, terms, limits, ON)
    assert reasons["i1"] == []
    assert reasons["i2"] == [Ineligible.DEBTOR_LIMIT_EXCEEDED]
    assert reasons["i3"] == [Ineligible.CLASS_NOT_ALLOWED, Ineligible.DEBTOR_NOT_APPROVED]


@given(st.integers(1, 10**12), st.decimals(0, 100, places=2))
def test_advance_and_reserve_make_up_the_face(face: int, rate: Decimal) -> None:
    money = f.funding(face, agreement(advance_percent=str(rate)))
    assert money.advance_minor + money.reserve_minor == face
    assert money.advance_minor * 100 <= face * rate


def test_discount_interest_runs_on_the_advance_outstanding() -> None:
    # 100,000.00 advanced at 6% a year for 73 days: 1,200.00
    assert f.discount_interest(10_000_000, [], ON, ON + timedelta(days=73), Decimal(6)) == 120_000
    # half repaid after 36.5 days' worth... on day 36: the rest runs 37 more days
    half = f.discount_interest(
        10_000_000, [(ON + timedelta(days=36), 5_000_000)], ON, ON + timedelta(days=73), Decimal(6)
    )
    assert half == round(Decimal(10_000_000 * 36 + 5_000_000 * 37) * 6 / 100 / 365)


@given(
    st.integers(1, 10**10),
    st.lists(st.tuples(st.integers(0, 200), st.integers(1, 10**9)), max_size=10),
)
def test_repayments_never_raise_the_interest(
    advance: int, repayments: list[tuple[int, int]]
) -> None:
    dated = [(ON + timedelta(days=d), a) for d, a in repayments]
    end = ON + timedelta(days=200)
    assert f.discount_interest(advance, dated, ON, end, Decimal(8)) <= f.discount_interest(
        advance, [], ON, end, Decimal(8)
    )


@given(
    st.integers(1, 10**9),
    st.lists(st.integers(1, 10**8), max_size=6),
    st.booleans(),
)
def test_a_settled_invoice_owes_the_factor_nothing(
    face: int, parts: list[int], confidential: bool
) -> None:
    terms = agreement(disclosed=not confidential)
    money = f.funding(face, terms)
    entries = [
        Entry(EntryKind.ASSIGNMENT, face, ON),
        Entry(EntryKind.ADVANCE, money.advance_minor, ON),
        Entry(EntryKind.RESERVE, money.reserve_minor, ON),
        Entry(EntryKind.COMMISSION, money.commission_minor, ON),
    ]
    left = face
    for n, amount in enumerate(parts):
        take = min(amount, left)
        if take == 0:
            break
        left -= take
        by = "US" if confidential else "FACTOR"
        entries.append(Entry(EntryKind.COLLECTION, take, ON + timedelta(days=n + 1), by))
        if confidential:
            entries.append(Entry(EntryKind.REMITTANCE, take, ON + timedelta(days=n + 1)))
    if left:
        entries.append(Entry(EntryKind.COLLECTION, left, ON + timedelta(days=30), "FACTOR"))
    p = f.position(entries)
    assert p.factored_open_minor == 0 and p.held_minor == 0
    closing = f.settle(p, interest_minor=123)
    entries.append(Entry(EntryKind.INTEREST, closing.interest_minor, ON + timedelta(days=30)))
    if closing.release_minor:
        entries.append(Entry(EntryKind.RESERVE_RELEASE, closing.release_minor, ON))
    if closing.shortfall_minor:
        entries.append(Entry(EntryKind.SHORTFALL, closing.shortfall_minor, ON))
    assert f.position(entries).owed_to_factor_minor == 0


def test_the_recourse_window_runs_from_the_due_date() -> None:
    due = date(2026, 6, 30)
    assert not f.buyback_due(due, 90, due + timedelta(days=90))
    assert f.buyback_due(due, 90, due + timedelta(days=91))
    assert f.open_on(1000, [(due, 300), (due + timedelta(days=5), 200)], due) == 700
