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


@dataclass(frozen=True)
class Summary:
    """What a customer's warning is made of: its soonest clocks (at most MAX_LISTED, soonest
    first, then by invoice id), how many of its claims lapse within the warning's reach, and
    how many have lapsed already. The SQL gives the same set-wise (one row per listed clock)."""

    customer_id: str
    soonest: tuple[Clock, ...]
    total: int
    lapsed: int


def summarise(clocks: Iterable[Clock], as_of: date, th: Mapping[str, int]) -> list[Summary]:
    """Per customer, the clocks close enough to lapsing to warn of, summarised."""
    groups: dict[str, list[Clock]] = {}
    for c in clocks:
        if level_of(c, as_of, th) is not None:
            groups.setdefault(c.customer_id, []).append(c)
    out = []
    for customer_id, items in sorted(groups.items()):
        items.sort(key=lambda c: (c.lapses_on, c.invoice_id))
        lapsed = sum(1 for c in items if c.lapses_on < as_of)
        out.append(Summary(customer_id, tuple(items[:MAX_LISTED]), len(items), lapsed))
    return out


def warnings(clocks: Iterable[Clock], as_of: date, th: Mapping[str, int]) -> list[Finding]:
    """One finding per customer, at the level of its most urgent invoice (see warnings_of)."""
    return warnings_of(summarise(clocks, as_of, th), as_of, th)


def warnings_of(summaries: Iterable[Summary], as_of: date, th: Mapping[str, int]) -> list[Finding]:
    """One finding per summarised customer, at the level of its soonest lapse.

    A written demand restarts every claim of the customer, so the customer is the unit a
    collector acts on. The window is LAPSED when a claim has lapsed already, else the month
    of the soonest lapse: dismissed, the warning returns only for claims of a later month.
    """
    out = []
    for summary in sorted(summaries, key=lambda s: s.customer_id):
        first = summary.soonest[0]
        level = level_of(first, as_of, th)  # the soonest lapse is the most urgent
        assert level is not None, "a summary holds only clocks close enough to warn of"
        soonest = first.lapses_on
        window = "LAPSED" if summary.lapsed else f"{soonest.year:04d}-{soonest.month:02d}"
        listed = [
            {
                "invoiceId": c.invoice_id,
                "lapsesOn": c.lapses_on.isoformat(),
                "startedBy": c.started_by,
            }
            for c in summary.soonest
        ]
        facts = {
            "invoices": listed,
            "lapsed": summary.lapsed,
            "lapsing": summary.total - summary.lapsed,
            "soonestLapse": soonest.isoformat(),
            "daysLeft": (soonest - as_of).days,
        }
        out.append(Finding(summary.customer_id, RULE, level, window, facts))
    return out
