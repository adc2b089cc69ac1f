"""The limitation clock per invoice (诉讼时效): when the right to sue for it lapses.

PRC Civil Code art. 188: three years from the day the creditor could claim (the due date).
Art. 195: a demand by the creditor, the debtor's agreement to perform (a promise, a part
payment, a confirmed statement) interrupts it, and it runs afresh from the interruption.
The services compute the same set-wise in SQL; a test holds the two together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from domain.warning_rules.levels import Finding, Level

LIMITATION_YEARS = 3  #: Civil Code art. 188: the general limitation period
RULE = "LIMITATION_LAPSING"
#: Evidence that restarts the clock, in the order a tie is reported.
RESTART_KINDS = ("PART_PAYMENT", "PROMISE", "CONFIRMED_STATEMENT", "WRITTEN_DEMAND")


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February falls back to the 28th (as PostgreSQL does)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Restart:
    """One piece of evidence that interrupted the clock, and when."""

    kind: str
    on: date


@dataclass(frozen=True)
class Clock:
    """Where an invoice's clock stands: when it last started, why, and when it lapses."""

    invoice_id: str
    customer_id: str
    due_on: date
    started_on: date
    started_by: str
    lapses_on: date


def clock(invoice_id: str, customer_id: str, due_on: date, restarts: Iterable[Restart]) -> Clock:
    """The clock of one invoice: from its due date or the latest restart after it."""
    started_on, started_by = due_on, "DUE_DATE"
    for r in sorted(restarts, key=lambda r: (r.on, -RESTART_KINDS.index(r.kind))):
        if r.on >= started_on:
            started_on, started_by = r.on, r.kind
    return Clock(
        invoice_id,
        customer_id,
        due_on,
        started_on,
        started_by,
        add_years(started_on, LIMITATION_YEARS),
    )


MAX_LISTED = 5  #: invoices listed in a warning's facts, soonest first (the counts are complete)


def level_of(c: Clock, as_of: date, th: Mapping[str, int]) -> Level | None:
    """Medium `firstDays` before the lapse, severe from `lastDays` (and once lapsed)."""
    left = (c.lapses_on - as_of).days
    if left > th["firstDays"]:
        return None
    return Level.SEVERE if left <= th["lastDays"] else Level.MEDIUM


def warnings(clocks: Iterable[Clock], as_of: date, th: Mapping[str, int]) -> list[Finding]:
    """One finding per customer, at the level of its most urgent invoice.

    A written demand restarts every claim of the customer, so the customer is the unit a
    collector acts on. The window is LAPSED when a claim has lapsed already, else the month
    of the soonest lapse: dismissed, the warning returns only for claims of a later month.
    """
    groups: dict[str, list[tuple[Clock, Level]]] = {}
    for c in clocks:
        level = level_of(c, as_of, th)
        if level is not None:
            groups.setdefault(c.customer_id, []).append((c, level))
    out = []
    for customer_id, items in sorted(groups.items()):
        items.sort(key=lambda item: (item[0].lapses_on, item[0].invoice_id))
        level = max((lv for _, lv in items), key=lambda lv: lv.rank)
        soonest = items[0][0].lapses_on
        lapsed = sum(1 for c, _ in items if c.lapses_on < as_of)
        window = "LAPSED" if lapsed else f"{soonest.year:04d}-{soonest.month:02d}"
        listed = [
            {
                "invoiceId": c.invoice_id,
                "lapsesOn": c.lapses_on.isoformat(),
                "startedBy": c.started_by,
            }
            for c, _ in items[:MAX_LISTED]
        ]
        facts = {
            "invoices": listed,
            "lapsed": lapsed,
            "lapsing": len(items) - lapsed,
            "soonestLapse": soonest.isoformat(),
            "daysLeft": (soonest - as_of).days,
        }
        out.append(Finding(customer_id, RULE, level, window, facts))
    return out
