"""Credit insurance's policy clock: whether an invoice is insured, and its deadlines.

An invoice is insured when its customer holds a cover at delivery (the invoice's issue date)
under a policy of the invoice's currency whose period contains that date, and its terms are
within the policy's maximum credit period. Once overdue, three dates run from its due date:
the overdue notification to the insurer, the stop-delivery point (no deliveries on credit to
the customer while it stays unpaid) and the claim filing deadline. Missing the notification
or the claim deadline, or delivering past another invoice's stop point, makes it uninsured.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.dates import shift
from domain.risk.insurance_policy import PolicyTerms

#: Seed 002: reminders go out 7 days before a due date (提前7天预警); the policy's own deadlines
#: are warned about as early.
WARN_DAYS = 7


class Reason(StrEnum):
    """Whether an invoice is insured, and if not why."""

    INSURED = "INSURED"
    NO_POLICY = "NO_POLICY"  #: no policy of its currency covers its issue date
    NO_COVER = "NO_COVER"  #: its customer held no cover at delivery
    TERMS_TOO_LONG = "TERMS_TOO_LONG"  #: terms longer than the maximum credit period
    DELIVERED_AFTER_STOP = "DELIVERED_AFTER_STOP"  #: delivered past an unpaid invoice's stop point
    NOTIFICATION_MISSED = "NOTIFICATION_MISSED"  #: the insurer was not told in time
    CLAIM_DEADLINE_MISSED = "CLAIM_DEADLINE_MISSED"  #: no claim filed in time


class Deadline(StrEnum):
    """The dates of an insured overdue invoice's policy clock."""

    NOTIFICATION = "NOTIFICATION"
    STOP_DELIVERY = "STOP_DELIVERY"
    CLAIM = "CLAIM"
    DELIVERY = "DELIVERY"  #: the invoice itself was delivered past a stop point


@dataclass(frozen=True, slots=True)
class Clock:
    """An insured invoice's deadlines, counted from its due date."""

    notification_on: date  #: tell the insurer by this day if still unpaid
    stop_delivery_on: date  #: after this day, no deliveries on credit while it is unpaid
    claim_by: date  #: file the claim by this day if still unpaid

    def deadline(self, kind: Deadline) -> date:
        """The date of one deadline."""
        return {
            Deadline.NOTIFICATION: self.notification_on,
            Deadline.STOP_DELIVERY: self.stop_delivery_on,
            Deadline.CLAIM: self.claim_by,
        }[kind]


def clock(due_date: date, terms: PolicyTerms) -> Clock:
    """The policy clock of an invoice due on `due_date`."""
    return clock_of(
        due_date, terms.notification_days, terms.max_extension_days, terms.claim_filing_days
    )


def clock_of(due_date: date, notification_days: int, extension_days: int, claim_days: int) -> Clock:
    """The policy clock from a policy's day counts (clamped to the platform's dates)."""
    return Clock(
        shift(due_date, notification_days),
        shift(due_date, extension_days),
        shift(due_date, claim_days),
    )


@dataclass(frozen=True, slots=True)
class InvoiceFacts:
    """What the clock needs to know about an invoice (amounts as of the day asked)."""

    id: str
    customer_id: str
    currency: str
    issue_date: date
    due_date: date
    open_minor: int
    paid_off_on: date | None = None  #: when it was fully settled; None while open
    notified_on: date | None = None  #: first overdue notification naming it
    claimed_on: date | None = None  #: first (not rejected) claim naming it

    def unpaid_on(self, day: date) -> bool:
        """Whether something was still owed at the end of `day`."""
        return self.paid_off_on is None or self.paid_off_on > day


def at_delivery(invoice: InvoiceFacts, terms: PolicyTerms | None, limit: int | None) -> Reason:
    """Whether an invoice was insured when delivered (cover and terms only)."""
    if (
        terms is None
        or terms.currency != invoice.currency
        or not terms.covers_date(invoice.issue_date)
    ):
        return Reason.NO_POLICY
    if not limit:
        return Reason.NO_COVER
    if (invoice.due_date - invoice.issue_date).days > terms.max_credit_days:
        return Reason.TERMS_TOO_LONG
    return Reason.INSURED


def delivered_after_stop(invoice: InvoiceFacts, stops: Sequence[tuple[date, date | None]]) -> bool:
    """Whether it was delivered after another insured invoice's stop point while that one was
    still unpaid; `stops` are (stop-delivery date, paid-off date) of the customer's invoices."""
    return any(
        stop < invoice.issue_date and (paid is None or paid > invoice.issue_date)
        for stop, paid in stops
    )


def lapse(invoice: InvoiceFacts, times: Clock, as_of: date) -> Reason | None:
    """The deadline an insured invoice missed by `as_of`, if any."""
    due = times.notification_on
    if as_of > due and invoice.unpaid_on(due):
        if invoice.notified_on is None or invoice.notified_on > due:
            return Reason.NOTIFICATION_MISSED
    due = times.claim_by
    if as_of > due and invoice.unpaid_on(due):
        if invoice.claimed_on is None or invoice.claimed_on > due:
            return Reason.CLAIM_DEADLINE_MISSED
    return None


def status(
    invoice: InvoiceFacts,
    terms: PolicyTerms | None,
    limit: int | None,
    stops: Sequence[tuple[date, date | None]],
    as_of: date,
) -> Reason:
    """Whether an invoice is insured on `as_of`, and if not the first reason why."""
    reason = at_delivery(invoice, terms, limit)
    if reason is not Reason.INSURED or terms is None:
        return reason
    if delivered_after_stop(invoice, stops):
        return Reason.DELIVERED_AFTER_STOP
    return lapse(invoice, clock(invoice.due_date, terms), as_of) or Reason.INSURED


@dataclass(frozen=True, slots=True)
class Notice:
    """A deadline the daily job speaks about: WARNED before it, MISSED after it."""

    invoice_id: str
    deadline: Deadline
    stage: str
    on: date


def notices(invoice: InvoiceFacts, times: Clock, as_of: date) -> list[Notice]:
    """What the clock of one insured invoice says on `as_of`: a warning in the WARN_DAYS
    before each deadline that still matters, and MISSED once one has passed unmet."""
    out: list[Notice] = []
    met = {
        Deadline.NOTIFICATION: invoice.notified_on,
        Deadline.STOP_DELIVERY: None,
        Deadline.CLAIM: invoice.claimed_on,
    }
    for kind in (Deadline.NOTIFICATION, Deadline.STOP_DELIVERY, Deadline.CLAIM):
        due = times.deadline(kind)
        done = met[kind]
        if done is not None and done <= due:
            continue
        if not invoice.unpaid_on(min(as_of, due)):
            continue
        if as_of > due:
            out.append(Notice(invoice.id, kind, "MISSED", due))
        elif (due - as_of).days <= WARN_DAYS:
            out.append(Notice(invoice.id, kind, "WARNED", due))
    return out


def sweep_notices(
    invoice: InvoiceFacts, times: Clock, after_stop: bool, as_of: date
) -> list[Notice]:
    """What the daily job records for one open invoice insured at delivery: a delivery past
    another invoice's stop point lapses it at once; otherwise its clock's notices, and only the
    lapse once the notification was missed (its cover is gone: its other deadlines no longer
    protect anything of it)."""
    if after_stop:
        return [Notice(invoice.id, Deadline.DELIVERY, "MISSED", invoice.issue_date)]
    found = notices(invoice, times, as_of)
    missed = {n.deadline for n in found if n.stage == "MISSED"}
    if Deadline.NOTIFICATION in missed:
        found = [n for n in found if n.deadline is Deadline.NOTIFICATION]
    return found
