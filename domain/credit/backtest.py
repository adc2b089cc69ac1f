"""Back-test of a scorecard: how many customers of each class went bad after being scored.

A customer scored on day s went bad when, within the 12 months after s (up to the day of the
back-test), an invoice was more than 90 days past due on some day, or a debt was written off.
`went_bad` is the rule row by row, the pure twin of the set-wise SQL in
`services/credit/backtest.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from domain.credit.behaviour import LedgerAllocation, LedgerInvoice

HORIZON_DAYS = 365  #: bad within twelve months after the score date
BAD_DAYS_PAST_DUE = 90  #: more than 90 days past due: the practice's point of legal action


def horizon_end(scored_on: date, as_of: date) -> date:
    """The last day observed: a year after the score, or the back-test day if earlier."""
    return min(scored_on + timedelta(days=HORIZON_DAYS), as_of)


def went_bad(
    scored_on: date,
    as_of: date,
    invoices: Sequence[LedgerInvoice],
    allocations: Sequence[LedgerAllocation],
) -> bool:
    """More than 90 days past due, or written off, within the horizon after the score."""
    until = horizon_end(scored_on, as_of)
    by_invoice: dict[str, list[LedgerAllocation]] = {}
    for a in allocations:
        by_invoice.setdefault(a.invoice_id, []).append(a)
        if a.kind == "WRITE_OFF" and a.amount_minor > 0 and scored_on < a.effective_on <= until:
            return True
    for inv in invoices:
        first_bad_day = max(
            scored_on + timedelta(days=1), inv.due_date + timedelta(days=BAD_DAYS_PAST_DUE + 1)
        )
        if first_bad_day > until:
            continue
        paid = sum(
            a.amount_minor for a in by_invoice.get(inv.id, []) if a.effective_on <= first_bad_day
        )
        if inv.amount_minor - paid > 0:
            return True
    return False


@dataclass(frozen=True)
class ClassOutcome:
    """One class's cohort: how many were scored, went bad, and were observed a full year."""

    rating_class: str
    scored: int
    bad: int
    matured: int

    @property
    def bad_rate(self) -> Decimal | None:
        """bad / scored, None for an empty class."""
        if self.scored == 0:
            return None
        return (Decimal(self.bad) / Decimal(self.scored)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_EVEN
        )


def outcomes(rows: Iterable[tuple[str, bool, bool]]) -> list[ClassOutcome]:
    """Per class A-D from (class, bad, matured) rows."""
    counts = {c: [0, 0, 0] for c in "ABCD"}
    for rating, bad, matured in rows:
        c = counts[rating]
        c[0] += 1
        c[1] += bad
        c[2] += matured
    return [ClassOutcome(k, *v) for k, v in counts.items()]
