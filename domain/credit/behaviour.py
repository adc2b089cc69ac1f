"""Payment behaviour over a window, from the receivables ledger: how a customer really pays.

The database computes the same facts set-wise for a whole portfolio
(`services/credit/payment_behaviour.py`); `ledger_facts` here is its pure twin, and a test
compares the two on generated ledgers. Facts are sums and counts per currency; `summarise`
turns them into ratios, so both paths share every division.

Definitions (window = the `months` up to and including `as_of`):
- judged amount: for invoices falling due in the window, what was paid or credited by
  `as_of` (late by max(0, paid - due) days), written off (late by at least one day), and
  what is still open when the due date has passed (late by as_of - due days);
- on-time ratio = judged amount paid on or before due / judged amount;
- weighted days late = sum(amount x days late) / judged amount;
- maximum days past due: the longest any invoice was overdue on a day in the window;
- days to pay (payment date - issue date, amount-weighted) in the window's later half
  against its earlier half: lengthening when later by more than the threshold;
- broken promises (promised in the window), disputed share (disputes raised in the window
  / invoices issued in it), reversed payments (received in the window, reversed by as_of).
An allocation reversed by `as_of` never happened, as far as behaviour is concerned.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum

from domain.credit.dates import months_before

#: Twelve months of history, the span a credit review looks back over.
DEFAULT_WINDOW_MONTHS = 12
MAX_WINDOW_MONTHS = 60
#: Common practice: payments slowing down markedly (付款速度明显放缓) is a warning signal;
#: a week's drift in days-to-pay between the halves of the window counts as marked.
LENGTHENING_DAYS = Decimal(7)
PLACES = Decimal("0.0001")
DAY_PLACES = Decimal("0.1")


class Trend(StrEnum):
    """Days-to-pay in the window's later half against its earlier half."""

    LENGTHENING = "LENGTHENING"
    STABLE = "STABLE"
    SHORTENING = "SHORTENING"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True)
class Window:
    """The window's first day, its midpoint (end of the earlier half) and its last day."""

    start: date
    middle: date
    end: date


def window(as_of: date, months: int = DEFAULT_WINDOW_MONTHS) -> Window:
    """The window ending on as_of: starts the day after the same date `months` earlier."""
    first = months_before(as_of, months)
    return Window(
        start=date.fromordinal(first.toordinal() + 1),
        middle=months_before(as_of, months // 2),
        end=as_of,
    )


@dataclass
class BehaviourFacts:
    """Sums and counts in one currency (what SQL returns per customer and currency)."""

    currency: str
    judged_minor: int = 0
    on_time_minor: int = 0
    late_weighted: int = 0  # sum of amount x days late
    max_days_past_due: int = 0
    dtp_earlier_minor: int = 0
    dtp_earlier_weighted: int = 0  # sum of amount x days to pay, earlier half
    dtp_recent_minor: int = 0
    dtp_recent_weighted: int = 0
    broken_promises: int = 0
    disputed_minor: int = 0
    invoiced_minor: int = 0
    reversed_payments: int = 0
    reversed_minor: int = 0


@dataclass(frozen=True)
class Behaviour:
    """Payment behaviour in one currency (or overall, the worst of the currencies)."""

    currency: str | None
    on_time_ratio: Decimal | None
    weighted_days_late: Decimal | None
    max_days_past_due: int
    days_to_pay_earlier: Decimal | None
    days_to_pay_recent: Decimal | None
    trend: Trend
    broken_promises: int
    disputed_share: Decimal | None
    reversed_payments: int
    judged_minor: int = 0
    currencies: tuple[str, ...] = field(default_factory=tuple)


def _avg(weighted: int, weight: int, places: Decimal) -> Decimal | None:
    if weight == 0:
        return None
    return (Decimal(weighted) / Decimal(weight)).quantize(places, rounding=ROUND_HALF_EVEN)


def trend_of(earlier: Decimal | None, recent: Decimal | None) -> Trend:
    """Lengthening when the later half pays more than the threshold slower."""
    if earlier is None or recent is None:
        return Trend.UNKNOWN
    if recent - earlier > LENGTHENING_DAYS:
        return Trend.LENGTHENING
    if earlier - recent > LENGTHENING_DAYS:
        return Trend.SHORTENING
    return Trend.STABLE


def summarise(facts: BehaviourFacts) -> Behaviour:
    """Ratios from one currency's facts."""
    earlier = _avg(facts.dtp_earlier_weighted, facts.dtp_earlier_minor, DAY_PLACES)
    recent = _avg(facts.dtp_recent_weighted, facts.dtp_recent_minor, DAY_PLACES)
    disputed = None
    if facts.invoiced_minor:
        share = Decimal(facts.disputed_minor) / Decimal(facts.invoiced_minor)
        disputed = min(share, Decimal(1)).quantize(PLACES, rounding=ROUND_HALF_EVEN)
    return Behaviour(
        currency=facts.currency,
        on_time_ratio=_avg(facts.on_time_minor, facts.judged_minor, PLACES),
        weighted_days_late=_avg(facts.late_weighted, facts.judged_minor, DAY_PLACES),
        max_days_past_due=facts.max_days_past_due,
        days_to_pay_earlier=earlier,
        days_to_pay_recent=recent,
        trend=trend_of(earlier, recent),
        broken_promises=facts.broken_promises,
        disputed_share=disputed,
        reversed_payments=facts.reversed_payments,
        judged_minor=facts.judged_minor,
        currencies=(facts.currency,),
    )


def _worst(values: Iterable[Decimal | None], highest: bool) -> Decimal | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    return max(present) if highest else min(present)


def overall(per_currency: Sequence[Behaviour]) -> Behaviour | None:
    """Across currencies (amounts in different currencies never add up): the worst of each
    figure, so a customer paying one currency late is a late payer. None without history."""
    if not per_currency:
        return None
    trends = {b.trend for b in per_currency}
    trend = next(
        (t for t in (Trend.LENGTHENING, Trend.STABLE, Trend.SHORTENING) if t in trends),
        Trend.UNKNOWN,
    )
    return Behaviour(
        currency=None,
        on_time_ratio=_worst((b.on_time_ratio for b in per_currency), highest=False),
        weighted_days_late=_worst((b.weighted_days_late for b in per_currency), highest=True),
        max_days_past_due=max(b.max_days_past_due for b in per_currency),
        days_to_pay_earlier=_worst((b.days_to_pay_earlier for b in per_currency), True),
        days_to_pay_recent=_worst((b.days_to_pay_recent for b in per_currency), True),
        trend=trend,
        broken_promises=sum(b.broken_promises for b in per_currency),
        disputed_share=_worst((b.disputed_share for b in per_currency), highest=True),
        reversed_payments=sum(b.reversed_payments for b in per_currency),
        judged_minor=0,
        currencies=tuple(sorted(b.currency for b in per_currency if b.currency)),
    )


# --- the pure twin of the SQL: raw ledger rows in, facts out ------------------------------


@dataclass(frozen=True)
class LedgerInvoice:
    """An invoice as the ledger holds it."""

    id: str
    currency: str
    amount_minor: int
    issue_date: date
    due_date: date


@dataclass(frozen=True)
class LedgerAllocation:
    """An allocation row; a reversal carries a negative amount and the id it reverses."""

    id: str
    invoice_id: str
    kind: str  # PAYMENT, CREDIT_NOTE, WRITE_OFF
    amount_minor: int
    effective_on: date
    reverses_id: str | None = None


@dataclass(frozen=True)
class LedgerPromise:
    """A promise to pay and what became of it."""

    currency: str
    promised_on: date
    status: str


@dataclass(frozen=True)
class LedgerDispute:
    """A dispute raised on an invoice."""

    invoice_id: str
    amount_minor: int
    raised_on: date


@dataclass(frozen=True)
class LedgerPayment:
    """A payment; reversed_on is the day it was reversed, if it was."""

    currency: str
    amount_minor: int
    received_on: date
    reversed_on: date | None = None


def _surviving(allocations: Sequence[LedgerAllocation], as_of: date) -> list[LedgerAllocation]:
    """Positive allocations effective by as_of and not reversed by then."""
    reversed_ids = {a.reverses_id for a in allocations if a.reverses_id and a.effective_on <= as_of}
    return [
        a
        for a in allocations
        if a.reverses_id is None and a.effective_on <= as_of and a.id not in reversed_ids
    ]


def ledger_facts(
    invoices: Sequence[LedgerInvoice],
    allocations: Sequence[LedgerAllocation],
    promises: Sequence[LedgerPromise],
    disputes: Sequence[LedgerDispute],
    payments: Sequence[LedgerPayment],
    as_of: date,
    months: int = DEFAULT_WINDOW_MONTHS,
) -> dict[str, BehaviourFacts]:
    """One customer's facts per currency, row by row (the definition the SQL must match)."""
    w = window(as_of, months)
    by_id = {i.id: i for i in invoices if i.issue_date <= as_of}
    facts: dict[str, BehaviourFacts] = {}

    def of(currency: str) -> BehaviourFacts:
        return facts.setdefault(currency, BehaviourFacts(currency))

    survivors = [a for a in _surviving(allocations, as_of) if a.invoice_id in by_id]
    settled: dict[str, int] = {}
    for a in survivors:
        inv = by_id[a.invoice_id]
        f = of(inv.currency)
        settled[inv.id] = settled.get(inv.id, 0) + a.amount_minor
        late = (a.effective_on - inv.due_date).days
        if w.start <= a.effective_on:
            f.max_days_past_due = max(f.max_days_past_due, late)
        if w.start <= inv.due_date <= w.end:
            days = max(late, 1) if a.kind == "WRITE_OFF" else max(late, 0)
            f.judged_minor += a.amount_minor
            f.late_weighted += a.amount_minor * days
            f.on_time_minor += a.amount_minor if days == 0 else 0
        if a.kind != "WRITE_OFF" and w.start <= a.effective_on:
            dtp = (a.effective_on - inv.issue_date).days
            if a.effective_on <= w.middle:
                f.dtp_earlier_minor += a.amount_minor
                f.dtp_earlier_weighted += a.amount_minor * dtp
            else:
                f.dtp_recent_minor += a.amount_minor
                f.dtp_recent_weighted += a.amount_minor * dtp
    for inv in by_id.values():
        open_minor = inv.amount_minor - settled.get(inv.id, 0)
        overdue = (as_of - inv.due_date).days
        if open_minor > 0 and overdue > 0:
            f = of(inv.currency)
            f.max_days_past_due = max(f.max_days_past_due, overdue)
            if inv.due_date >= w.start:
                f.judged_minor += open_minor
                f.late_weighted += open_minor * overdue
        if inv.issue_date >= w.start:
            of(inv.currency).invoiced_minor += inv.amount_minor
    for p in promises:
        if p.status == "BROKEN" and w.start <= p.promised_on <= w.end:
            of(p.currency).broken_promises += 1
    for d in disputes:
        disputed = by_id.get(d.invoice_id)
        if disputed is not None and w.start <= d.raised_on <= w.end:
            of(disputed.currency).disputed_minor += d.amount_minor
    for pay in payments:
        if (
            pay.reversed_on is not None
            and pay.reversed_on <= as_of
            and w.start <= pay.received_on <= w.end
        ):
            f = of(pay.currency)
            f.reversed_payments += 1
            f.reversed_minor += pay.amount_minor
    return {c: f for c, f in facts.items() if f != BehaviourFacts(c)}
