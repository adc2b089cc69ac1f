"""Payment terms: due dates, instalment schedules and which terms a customer gets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.dates import EARLIEST, LATEST
from domain.errors import DomainError
from domain.terms import (
    DEFAULT_CLASS_TERMS,
    Instalment,
    PaymentTerms,
    TermsKind,
    applicable_terms,
    due_date,
    schedule,
)

ISSUE = date(2026, 10, 5)


def test_net_days_from_issue() -> None:
    terms = PaymentTerms(TermsKind.NET, net_days=30)
    assert schedule(terms, ISSUE, 12_345) == [(date(2026, 11, 4), 12_345)]
    assert due_date(PaymentTerms(TermsKind.NET), ISSUE) == ISSUE  # cash before delivery


@pytest.mark.parametrize(
    ("issue", "plus", "due"),
    [
        (date(2026, 10, 5), 0, date(2026, 10, 31)),
        (date(2026, 10, 31), 15, date(2026, 11, 15)),
        (date(2028, 2, 3), 0, date(2028, 2, 29)),  # a leap year's February
        (date(2026, 12, 20), 10, date(2027, 1, 10)),
    ],
)
def test_end_of_month_plus_days(issue: date, plus: int, due: date) -> None:
    assert due_date(PaymentTerms(TermsKind.END_OF_MONTH, eom_plus_days=plus), issue) == due


def test_instalments_round_down_and_the_last_takes_the_remainder() -> None:
    thirds = PaymentTerms(
        TermsKind.INSTALMENTS,
        instalments=(
            Instalment(Decimal("33.33"), 30),
            Instalment(Decimal("33.33"), 60),
            Instalment(Decimal("33.34"), 90),
        ),
    )
    assert schedule(thirds, ISSUE, 100) == [
        (date(2026, 11, 4), 33),
        (date(2026, 12, 4), 33),
        (date(2027, 1, 3), 34),
    ]
    assert due_date(thirds, ISSUE) == date(2027, 1, 3)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": TermsKind.NET, "net_days": -1}, "netDays"),
        ({"kind": TermsKind.END_OF_MONTH, "eom_plus_days": -3}, "netDays"),
        ({"kind": TermsKind.INSTALMENTS}, "instalments"),
        (
            {"kind": TermsKind.INSTALMENTS, "instalments": (Instalment(Decimal(60), 30),)},
            "instalments",
        ),
        (
            {
                "kind": TermsKind.INSTALMENTS,
                "instalments": (Instalment(Decimal(0), 10), Instalment(Decimal(100), 20)),
            },
            "instalments",
        ),
        (
            {
                "kind": TermsKind.INSTALMENTS,
                "instalments": (Instalment(Decimal(50), 60), Instalment(Decimal(50), 30)),
            },
            "instalments",
        ),
        (
            {
                "kind": TermsKind.INSTALMENTS,
                "instalments": (Instalment(Decimal(50), -1), Instalment(Decimal(50), 30)),
            },
            "instalments",
        ),
    ],
)
def test_inconsistent_terms_are_refused(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(DomainError) as refused:
        PaymentTerms(**kwargs)  # type: ignore[arg-type]
    assert (refused.value.code, refused.value.field) == ("INVALID_TERMS", field)


@st.composite
def instalment_terms(draw: st.DrawFn) -> PaymentTerms:
    """Valid instalment terms: positive shares (2 decimals) adding up to 100, rising offsets."""
    cuts = sorted(draw(st.sets(st.integers(1, 9_999), max_size=5)))
    bounds = [0, *cuts, 10_000]
    shares = [Decimal(b - a) / 100 for a, b in pairwise(bounds)]
    offsets = sorted(draw(st.lists(st.integers(0, 365), min_size=len(shares))))[: len(shares)]
    return PaymentTerms(
        TermsKind.INSTALMENTS,
        instalments=tuple(Instalment(s, o) for s, o in zip(shares, offsets, strict=True)),
    )


@given(instalment_terms(), st.integers(0, 10**13))
def test_a_schedule_always_adds_up_to_the_invoice(terms: PaymentTerms, amount: int) -> None:
    lines = schedule(terms, ISSUE, amount)
    assert sum(share for _, share in lines) == amount
    assert all(share >= 0 for _, share in lines)
    assert [due for due, _ in lines] == sorted(due for due, _ in lines)
    assert due_date(terms, ISSUE) == lines[-1][0]


def test_agreed_template_then_class_template_then_the_practice_default() -> None:
    agreed = PaymentTerms(TermsKind.NET, net_days=90)
    class_c = PaymentTerms(TermsKind.NET, net_days=20)
    templates = {"LONG": agreed, "CLASS_C": class_c}
    assert applicable_terms(templates, "LONG", "C") == agreed
    assert applicable_terms(templates, "GONE", "C") == class_c  # an unknown code falls back
    assert applicable_terms(templates, None, "A") == DEFAULT_CLASS_TERMS["A"]
    assert applicable_terms({}, None, None) == DEFAULT_CLASS_TERMS["B"]  # unrated: class B


@given(
    st.dates(min_value=EARLIEST, max_value=LATEST),
    st.integers(0, 3650),
    st.sampled_from(list(TermsKind)),
)
def test_due_dates_never_leave_the_platforms_range(issue: date, days: int, kind: TermsKind) -> None:
    """However late the issue date and long the terms, every due date is one a row may hold."""
    instalments = (Instalment(Decimal(40), 0), Instalment(Decimal(60), days))
    terms = PaymentTerms(kind, net_days=days, eom_plus_days=days, instalments=instalments)
    for due, _ in schedule(terms, issue, 10**15):
        assert EARLIEST <= due <= LATEST
