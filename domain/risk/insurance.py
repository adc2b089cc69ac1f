"""Credit insurance: policy terms, buyer covers, and the policy clock of each invoice.

An invoice is insured when its customer holds a cover at delivery (the invoice's issue date)
under a policy of the invoice's currency whose period contains that date, and its terms are
within the policy's maximum credit period. Once overdue, three dates run from its due date:
the overdue notification to the insurer, the stop-delivery point (no deliveries on credit to
the customer while it stays unpaid) and the claim filing deadline. Missing the notification
or the claim deadline, or delivering past another invoice's stop point, makes it uninsured.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.dates import check_date, shift
from domain.errors import DomainError, ValidationFailed
from domain.risk.transfer import (
    NAME_MAX,
    REFERENCE_MAX,
    attempt,
    check_days,
    check_text,
    parse_percent,
    share_down,
    share_half_up,
)

#: Not in the source practice (seed 004 says only that the insurer pays when a customer
#: defaults): insurers usually indemnify 80-95% of a covered loss; 90% is the common figure.
DEFAULT_INDEMNITY_PERCENT = Decimal("90")
#: The platform's most generous payment terms (class A: 60 days net); longer terms need the
#: insurer's consent, so a policy without its own figure insures no more than that.
DEFAULT_MAX_CREDIT_DAYS = 60
#: Seed 002: from 60 days overdue a debt goes to the legal department (60至90天...升级至法务部门);
#: the insurer must hear of it by then.
DEFAULT_NOTIFICATION_DAYS = 60
#: Seed 002: for the first 30 days overdue only the salesperson telephones (30天内...电话提醒);
#: after that the debt is escalated, so deliveries on credit stop.
DEFAULT_MAX_EXTENSION_DAYS = 30
#: Seed 002: past 90 days overdue legal proceedings must start (超过90天...立即启动法律程序);
#: the claim is filed by then so the insurer can take the debt over.
DEFAULT_CLAIM_FILING_DAYS = 90
#: Seed 002: reminders go out 7 days before a due date (提前7天预警); the policy's own deadlines
#: are warned about as early.
WARN_DAYS = 7


class DeductibleKind(StrEnum):
    """How the deductible applies."""

    PER_CLAIM = "PER_CLAIM"  #: taken off each claim
    AGGREGATE = "AGGREGATE"  #: taken off the policy's claims until used up


class CoverStatus(StrEnum):
    """Where a buyer cover stands; each decision is kept with its effective date."""

    REQUESTED = "REQUESTED"
    GRANTED = "GRANTED"
    REDUCED = "REDUCED"
    CANCELLED = "CANCELLED"
    REFUSED = "REFUSED"


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
class PolicyTerms:
    """What a policy says: who, when, how much, and the clock of its deadlines."""

    insurer: str
    policy_number: str
    currency: str
    starts_on: date
    ends_on: date
    indemnity_percent: Decimal
    max_liability_minor: int
    deductible_minor: int
    deductible_kind: DeductibleKind
    max_credit_days: int
    notification_days: int
    max_extension_days: int
    claim_filing_days: int
    premium_rate_percent: Decimal
    recovery_share_percent: Decimal
    cover_required: bool = False  #: no credit to a buyer whose cover is cut

    def covers_date(self, day: date) -> bool:
        """Whether a delivery on `day` falls in the policy period."""
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True, slots=True)
class PolicyInput:
    """A policy as the client wrote it: texts, decimal strings, day counts."""

    insurer: str
    policy_number: str
    currency: str
    starts_on: date
    ends_on: date
    max_liability_minor: int
    premium_rate_percent: str
    indemnity_percent: str = str(DEFAULT_INDEMNITY_PERCENT)
    deductible_minor: int = 0
    deductible_kind: str = DeductibleKind.PER_CLAIM.value
    max_credit_days: int = DEFAULT_MAX_CREDIT_DAYS
    notification_days: int = DEFAULT_NOTIFICATION_DAYS
    max_extension_days: int = DEFAULT_MAX_EXTENSION_DAYS
    claim_filing_days: int = DEFAULT_CLAIM_FILING_DAYS
    recovery_share_percent: str | None = None
    cover_required: bool = False


def check_policy(data: PolicyInput) -> PolicyTerms:
    """Policy terms from input, or every problem at once (amounts already in minor units)."""
    errors: list[DomainError] = []
    insurer = attempt(errors, check_text, data.insurer, "insurer", NAME_MAX, True)
    number = attempt(errors, check_text, data.policy_number, "policyNumber", REFERENCE_MAX, True)
    starts = attempt(errors, check_date, data.starts_on, "startsOn")
    ends = attempt(errors, check_date, data.ends_on, "endsOn")
    if isinstance(starts, date) and isinstance(ends, date) and ends < starts:
        errors.append(
            DomainError("ENDS_BEFORE_START", "the period ends before it starts", "endsOn")
        )
    indemnity = attempt(errors, parse_percent, data.indemnity_percent, "indemnityPercent")
    premium = attempt(errors, parse_percent, data.premium_rate_percent, "premiumRatePercent")
    share_text = data.recovery_share_percent
    share = (
        attempt(errors, parse_percent, share_text, "recoverySharePercent")
        if share_text
        else indemnity
    )
    if data.max_liability_minor <= 0:
        errors.append(
            DomainError("AMOUNT_NOT_POSITIVE", "must be greater than zero", "maxLiability.amount")
        )
    if data.deductible_minor < 0:
        errors.append(DomainError("NEGATIVE_AMOUNT", "must not be negative", "deductible.amount"))
    if data.deductible_kind not in DeductibleKind.__members__:
        errors.append(DomainError("INVALID_KIND", "PER_CLAIM or AGGREGATE", "deductibleKind"))
    attempt(errors, check_days, data.max_credit_days, "maxCreditDays", 1)
    notify = attempt(errors, check_days, data.notification_days, "notificationDays")
    attempt(errors, check_days, data.max_extension_days, "maxExtensionDays")
    claim = attempt(errors, check_days, data.claim_filing_days, "claimFilingDays")
    if isinstance(notify, int) and isinstance(claim, int) and claim < notify:
        errors.append(
            DomainError(
                "DEADLINES_OUT_OF_ORDER",
                "a claim is filed no earlier than the overdue notification",
                "claimFilingDays",
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return PolicyTerms(
        insurer=str(insurer),
        policy_number=str(number),
        currency=data.currency,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        indemnity_percent=indemnity,  # type: ignore[arg-type]
        max_liability_minor=data.max_liability_minor,
        deductible_minor=data.deductible_minor,
        deductible_kind=DeductibleKind(data.deductible_kind),
        max_credit_days=data.max_credit_days,
        notification_days=data.notification_days,
        max_extension_days=data.max_extension_days,
        claim_filing_days=data.claim_filing_days,
        premium_rate_percent=premium,  # type: ignore[arg-type]
        recovery_share_percent=share,  # type: ignore[arg-type]
        cover_required=data.cover_required,
    )


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


def premium(insured_turnover_minor: int, terms: PolicyTerms) -> int:
    """The premium on a month's insured turnover (rate on turnover, rounded half up)."""
    return share_half_up(insured_turnover_minor, terms.premium_rate_percent)


def insured_part(covered_minor: int, terms: PolicyTerms, deductible_used_minor: int = 0) -> int:
    """What the insurer would pay on a covered open amount today: the indemnity percentage of
    it after the deductible still to bear (the waterfall's insured layer), capped by the
    maximum liability."""
    if terms.deductible_kind is DeductibleKind.AGGREGATE:
        deductible = max(0, terms.deductible_minor - deductible_used_minor)
    else:
        deductible = terms.deductible_minor
    part = share_down(max(0, covered_minor - deductible), terms.indemnity_percent)
    return min(part, terms.max_liability_minor)
