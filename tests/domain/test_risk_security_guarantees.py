"""Guarantees: the status machine, the guarantee period clock (art. 692), scope, masking."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.risk.guarantees import (
    DeadlineBasis,
    Debt,
    GuaranteeKind,
    GuaranteeTerms,
    PeriodState,
    RestoredFacts,
    Scope,
    Status,
    claim_deadline,
    covers,
    mask_identity,
    months_after,
    move,
    period_notices,
    period_state,
    restored,
)


def terms(**changes: object) -> GuaranteeTerms:
    base: dict[str, object] = {
        "id": "g1",
        "customer_id": "c1",
        "kind": GuaranteeKind.JOINT_AND_SEVERAL,
        "scope": Scope.ALL_DEBTS,
        "valid_from": date(2026, 1, 1),
        "valid_to": date(2026, 12, 31),
        "period_months": None,
        "status": Status.ACTIVE,
    }
    base.update(changes)
    return GuaranteeTerms(**base)  # type: ignore[arg-type]


def test_statutory_period_is_six_months_from_the_due_date() -> None:
    deadline = claim_deadline(GuaranteeKind.GENERAL, date(2026, 3, 15), None, date(2027, 1, 1))
    assert deadline.ends_on == date(2026, 9, 15)
    assert deadline.basis == DeadlineBasis.STATUTORY
    assert "art. 693" in deadline.action


def test_contract_period_and_instrument_expiry() -> None:
    kind = GuaranteeKind.JOINT_AND_SEVERAL
    contract = claim_deadline(kind, date(2026, 1, 31), 24, date(2026, 6, 1))
    assert (contract.ends_on, contract.basis) == (date(2028, 1, 31), DeadlineBasis.CONTRACT)
    bank = claim_deadline(GuaranteeKind.BANK_GUARANTEE, date(2026, 1, 31), None, date(2026, 6, 1))
    assert (bank.ends_on, bank.basis) == (date(2026, 6, 1), DeadlineBasis.INSTRUMENT)


def test_months_after_clamps_to_the_month_end() -> None:
    assert months_after(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert months_after(date(2027, 8, 31), 6) == date(2028, 2, 29)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2190, 1, 1)), st.integers(0, 120))
def test_months_after_is_monotonic_and_never_short(day: date, months: int) -> None:
    later = months_after(day, months)
    assert later >= day
    assert months_after(day, months + 1) > later


def test_status_machine() -> None:
    assert move(Status.ACTIVE, Status.CALLED) == Status.CALLED
    assert move(Status.CALLED, Status.PAID) == Status.PAID
    with pytest.raises(DomainError) as refused:
        move(Status.RELEASED, Status.CALLED)
    assert refused.value.code == "INVALID_STATUS"
    with pytest.raises(DomainError):
        move(Status.CALLED, Status.EXPIRED)


def test_scope() -> None:
    debt = Debt("i1", "c1", date(2026, 2, 1), date(2026, 3, 1), 100)
    assert covers(terms(), debt)
    assert not covers(terms(scope=Scope.NAMED_INVOICES), debt)
    assert covers(terms(scope=Scope.NAMED_INVOICES, named=frozenset({"i1"})), debt)
    older = Debt("i0", "c1", date(2025, 6, 1), date(2025, 7, 1), 100)
    assert covers(terms(), older)  # all debts: those outstanding when it was given too
    assert not covers(terms(scope=Scope.UP_TO_AMOUNT), older)  # 最高额: arising while it runs
    assert not covers(terms(), Debt("i2", "c2", date(2026, 2, 1), date(2026, 3, 1), 100))


def test_period_notices_warn_then_record_the_lapse() -> None:
    debts = [
        Debt("i1", "c1", date(2026, 1, 1), date(2026, 1, 31), 100),  # ends 2026-07-31
        Debt("i2", "c1", date(2026, 1, 1), date(2026, 3, 31), 100),  # ends 2026-09-30
        Debt("i3", "c1", date(2026, 1, 1), date(2026, 1, 15), 0),  # paid: no notice
    ]
    notices = period_notices([terms()], debts, date(2026, 8, 1), 30)
    assert [(n.invoice_id, n.state) for n in notices] == [("i1", PeriodState.LAPSED)]
    notices = period_notices([terms()], debts, date(2026, 9, 1), 30)
    assert [(n.invoice_id, n.state) for n in notices] == [
        ("i1", PeriodState.LAPSED),
        ("i2", PeriodState.LAPSING),
    ]
    assert period_notices([terms(status=Status.CALLED)], debts, date(2026, 9, 1), 30) == []


def test_period_state_edges() -> None:
    end = date(2026, 7, 31)
    assert period_state(end, date(2026, 7, 1), 30) == PeriodState.LAPSING
    assert period_state(end, date(2026, 6, 30), 30) == PeriodState.RUNNING
    assert period_state(end, end, 30) == PeriodState.LAPSING
    assert period_state(end, date(2026, 8, 1), 30) == PeriodState.LAPSED


def test_restored() -> None:
    assert restored(RestoredFacts("B", 30), ("A", "B"), 30)
    assert not restored(RestoredFacts("B", 31), ("A", "B"), 30)
    assert not restored(RestoredFacts("C", 0), ("A", "B"), 30)
    assert not restored(RestoredFacts(None, 0), ("A", "B"), 30)


def test_mask_identity() -> None:
    assert mask_identity("110101199003074514") == "11************4514"
    assert mask_identity("12345") == "****5"
    assert mask_identity(None) is None


@given(st.text(min_size=1, max_size=40))
def test_mask_never_shows_more_than_six_characters(number: str) -> None:
    masked = mask_identity(number)
    assert masked is not None and len(masked) == len(number)
    assert sum(1 for a, b in zip(masked, number, strict=True) if a == b and a != "*") <= 6
