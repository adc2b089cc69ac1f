"""Buyer covers: the credit limit an insurer grants on one customer, decided over time.

Each decision applies to deliveries from its effective date, so the limit an invoice is insured
under is the one in effect when it was delivered; earlier deliveries use that limit first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.dates import check_date
from domain.errors import DomainError


class CoverStatus(StrEnum):
    """Where a buyer cover stands; each decision is kept with its effective date."""

    REQUESTED = "REQUESTED"
    GRANTED = "GRANTED"
    REDUCED = "REDUCED"
    CANCELLED = "CANCELLED"
    REFUSED = "REFUSED"


@dataclass(frozen=True, slots=True)
class CoverDecision:
    """One decision on a buyer cover: it applies to deliveries from `effective_on`."""

    status: CoverStatus
    amount_minor: int
    effective_on: date
    seq: int = 0


def limit_on(decisions: Iterable[CoverDecision], day: date) -> int | None:
    """The cover limit for a delivery on `day`: the last decision in effect by then (a request
    changes nothing until decided); None when no decision applied yet."""
    limit: int | None = None
    for decision in sorted(decisions, key=lambda d: (d.effective_on, d.seq)):
        if decision.effective_on > day:
            break
        if decision.status in (CoverStatus.GRANTED, CoverStatus.REDUCED):
            limit = decision.amount_minor
        elif decision.status in (CoverStatus.CANCELLED, CoverStatus.REFUSED):
            limit = 0
    return limit


#: Which decisions may follow a cover's current status.
_LIVE = frozenset({CoverStatus.GRANTED, CoverStatus.REDUCED, CoverStatus.CANCELLED})
NEXT: dict[CoverStatus, frozenset[CoverStatus]] = {
    CoverStatus.REQUESTED: frozenset({CoverStatus.GRANTED, CoverStatus.REFUSED}),
    CoverStatus.GRANTED: _LIVE,
    CoverStatus.REDUCED: _LIVE,
    CoverStatus.CANCELLED: frozenset({CoverStatus.REQUESTED}),
    CoverStatus.REFUSED: frozenset({CoverStatus.REQUESTED}),
}


def check_decision(
    current: CoverStatus | None,
    current_limit: int,
    last_effective_on: date | None,
    status: CoverStatus,
    amount_minor: int,
    effective_on: date,
) -> None:
    """Refuse a decision that cannot follow the cover's history."""
    check_date(effective_on, "effectiveOn")
    allowed = NEXT[current] if current is not None else frozenset({CoverStatus.REQUESTED})
    if status not in allowed:
        was = current.value if current else "none"
        raise DomainError(
            "INVALID_STATUS", f"a cover that is {was} cannot become {status}", "status"
        )
    if last_effective_on is not None and effective_on < last_effective_on:
        raise DomainError(
            "EFFECTIVE_BEFORE_LAST",
            f"decisions apply in order: on or after {last_effective_on.isoformat()}",
            "effectiveOn",
        )
    if status in (CoverStatus.REQUESTED, CoverStatus.GRANTED, CoverStatus.REDUCED):
        if amount_minor <= 0:
            raise DomainError("AMOUNT_NOT_POSITIVE", "must be greater than zero", "amount.amount")
    if status is CoverStatus.REDUCED and amount_minor >= current_limit:
        raise DomainError(
            "NOT_A_REDUCTION", "a reduction lowers the granted amount", "amount.amount"
        )


def is_cut(before: int | None, after: int | None) -> bool:
    """Whether a decision lowered (or ended) the limit new deliveries are insured under."""
    return (before or 0) > (after or 0)


def blocks_credit(cover_required: bool, before: int | None, after: int | None) -> bool:
    """Whether a cover decision stops new credit to the buyer: a cut under a policy whose
    buyers the tenant sells to on credit only with cover (PolicyTerms.cover_required)."""
    return cover_required and is_cut(before, after)


def covered_amounts(items: Sequence[tuple[str, date, int, int]]) -> dict[str, int]:
    """How much of each insured open invoice the cover takes: (id, issue date, open, limit at
    delivery) of one customer; earlier deliveries use the limit first, at their open amount,
    so an invoice is covered up to what its own limit leaves after the earlier ones."""
    covered: dict[str, int] = {}
    before = 0
    for invoice_id, _issued, open_minor, limit in sorted(items, key=lambda i: (i[1], i[0])):
        covered[invoice_id] = max(0, min(open_minor, limit - before))
        before += open_minor
    return covered
