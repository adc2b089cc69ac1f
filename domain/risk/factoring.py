"""Factoring: agreement terms, which invoices a factor takes, and the factoring sub-ledger.

Seed 002 (保理业务): with recourse (有追索权) for riskier customers, without recourse
(无追索权) for customers of good credit. The sub-ledger keeps, per assigned invoice, the
receivable the factor holds, the money it advanced, its fees, the reserve it keeps back and
the collections; it never edits an entry, and at any date its factored amounts equal the
receivables ledger's open amounts of the invoices assigned.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from domain.currencies import is_currency
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

ALL_CLASSES = ("A", "B", "C", "D")
#: Seed 002: riskier customers are factored only with recourse (对于风险较高的客户,适合采用
#: 有追索权的保理); only good customers (classes A and B) may be sold without recourse.
NON_RECOURSE_CLASSES = ("A", "B")
#: Not in the source practice: factors usually advance 70-90% of an invoice; 80% is common.
DEFAULT_ADVANCE_PERCENT = Decimal("80")
#: The platform's most generous payment terms (class A: 60 days net).
DEFAULT_MAX_TERMS_DAYS = 60
#: Seed 002: past 90 days overdue a debt goes to court (超过90天...立即启动法律程序); a factor with
#: recourse hands an invoice back by then.
DEFAULT_RECOURSE_DAYS = 90
DAY_COUNT = 365  #: discount interest accrues per calendar day on a 365-day year
MAX_CURRENCIES = 10  #: currencies one agreement may name
MAX_BATCH = 5000  #: invoices one assignment call carries


class EntryKind(StrEnum):
    """The kinds of factoring sub-ledger entries (amounts in the invoice's currency)."""

    ASSIGNMENT = "ASSIGNMENT"  #: the invoice's open amount passes to the factor
    ADVANCE = "ADVANCE"  #: the factor pays us the advance rate of it
    RESERVE = "RESERVE"  #: what the factor keeps back (face - advance)
    COMMISSION = "COMMISSION"  #: the factor's commission on the face
    INTEREST = "INTEREST"  #: discount interest on the advance while outstanding
    COLLECTION = "COLLECTION"  #: the debtor paid (the factor, or us)
    DILUTION = "DILUTION"  #: a credit note or write-off reduced the receivable
    REMITTANCE = "REMITTANCE"  #: we passed a collection we received on to the factor
    RESERVE_RELEASE = "RESERVE_RELEASE"  #: the factor paid out what it kept back, less charges
    SHORTFALL = "SHORTFALL"  #: we paid the factor what collections did not cover
    BUYBACK = "BUYBACK"  #: we took back an unpaid invoice: the debt returns to our risk


#: Kinds that reduce the receivable the factor holds.
REDUCING = (EntryKind.COLLECTION, EntryKind.DILUTION, EntryKind.BUYBACK)


@dataclass(frozen=True, slots=True)
class AgreementTerms:
    """What a factoring agreement says."""

    factor: str
    reference: str
    recourse: bool
    disclosed: bool
    currencies: tuple[str, ...]
    advance_percent: Decimal
    commission_percent: Decimal
    interest_percent: Decimal
    max_terms_days: int
    allowed_classes: tuple[str, ...]
    recourse_days: int
    starts_on: date


@dataclass(frozen=True, slots=True)
class AgreementInput:
    """An agreement as the client wrote it."""

    factor: str
    reference: str
    recourse: bool
    disclosed: bool
    currencies: Sequence[str]
    commission_percent: str
    interest_percent: str
    starts_on: date
    advance_percent: str = str(DEFAULT_ADVANCE_PERCENT)
    max_terms_days: int = DEFAULT_MAX_TERMS_DAYS
    allowed_classes: Sequence[str] | None = None
    recourse_days: int = DEFAULT_RECOURSE_DAYS


def check_agreement(data: AgreementInput) -> AgreementTerms:
    """Agreement terms from input, or every problem at once."""
    errors: list[DomainError] = []
    factor = attempt(errors, check_text, data.factor, "factor", NAME_MAX, True)
    reference = attempt(errors, check_text, data.reference, "reference", REFERENCE_MAX, True)
    attempt(errors, check_date, data.starts_on, "startsOn")
    advance = attempt(errors, parse_percent, data.advance_percent, "advancePercent")
    commission = attempt(errors, parse_percent, data.commission_percent, "commissionPercent")
    interest = attempt(errors, parse_percent, data.interest_percent, "interestPercent")
    attempt(errors, check_days, data.max_terms_days, "maxTermsDays")
    attempt(errors, check_days, data.recourse_days, "recourseDays")
    currencies = tuple(dict.fromkeys(c.strip().upper() for c in data.currencies))
    if not currencies or len(currencies) > MAX_CURRENCIES:
        errors.append(DomainError("TOO_MANY", f"one to {MAX_CURRENCIES} currencies", "currencies"))
    for n, code in enumerate(currencies):
        if not is_currency(code):
            errors.append(DomainError("UNKNOWN_CURRENCY", "an ISO 4217 code", f"currencies.{n}"))
    default = ALL_CLASSES if data.recourse else NON_RECOURSE_CLASSES
    raw = data.allowed_classes if data.allowed_classes is not None else default
    classes = tuple(sorted({c.strip().upper() for c in raw}))
    unknown = [c for c in classes if c not in ALL_CLASSES]
    if unknown or not classes:
        errors.append(DomainError("INVALID_INPUT", "classes among A, B, C, D", "allowedClasses"))
    elif not data.recourse and any(c not in NON_RECOURSE_CLASSES for c in classes):
        errors.append(
            DomainError(
                "CLASS_NOT_ALLOWED",
                "C and D customers are factored only with recourse",
                "allowedClasses",
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return AgreementTerms(
        factor=str(factor),
        reference=str(reference),
        recourse=data.recourse,
        disclosed=data.disclosed,
        currencies=currencies,
        advance_percent=advance,  # type: ignore[arg-type]
        commission_percent=commission,  # type: ignore[arg-type]
        interest_percent=interest,  # type: ignore[arg-type]
        max_terms_days=data.max_terms_days,
        allowed_classes=classes,
        recourse_days=data.recourse_days,
        starts_on=data.starts_on,
    )


class Ineligible(StrEnum):
    """Why an invoice cannot be assigned (each is also the refusal code)."""

    INVOICE_SETTLED = "INVOICE_SETTLED"
    INVOICE_DISPUTED = "INVOICE_DISPUTED"
    INVOICE_OVERDUE = "INVOICE_OVERDUE"
    ALREADY_ASSIGNED = "ALREADY_ASSIGNED"
    CURRENCY_NOT_ALLOWED = "CURRENCY_NOT_ALLOWED"
    TERMS_TOO_LONG = "TERMS_TOO_LONG"
    CLASS_NOT_ALLOWED = "CLASS_NOT_ALLOWED"
    DEBTOR_NOT_APPROVED = "DEBTOR_NOT_APPROVED"
    DEBTOR_LIMIT_EXCEEDED = "DEBTOR_LIMIT_EXCEEDED"


@dataclass(frozen=True, slots=True)
class Candidate:
    """An invoice offered for assignment, as it stands."""

    invoice_id: str
    customer_id: str
    currency: str
    issue_date: date
    due_date: date
    open_minor: int
    disputed_minor: int
    assigned: bool  #: already assigned to a factor (any agreement) and not closed
    rating_class: str | None


@dataclass(frozen=True, slots=True)
class DebtorLimit:
    """A factor's limit on one debtor and how much of it assigned invoices already use."""

    limit_minor: int
    approved: bool
    used_minor: int = 0


def eligibility(
    candidates: Sequence[Candidate],
    terms: AgreementTerms,
    limits: dict[str, DebtorLimit],
    on: date,
) -> dict[str, list[Ineligible]]:
    """Every reason each offered invoice cannot be assigned on `on` (empty: eligible). Debtor
    limits are used in the order offered by the invoices otherwise eligible: once their running
    total passes the limit, each further one is refused."""
    out: dict[str, list[Ineligible]] = {}
    used = {debtor: limit.used_minor for debtor, limit in limits.items()}
    for c in candidates:
        reasons: list[Ineligible] = []
        if c.open_minor <= 0:
            reasons.append(Ineligible.INVOICE_SETTLED)
        if c.disputed_minor > 0:
            reasons.append(Ineligible.INVOICE_DISPUTED)
        if c.due_date < on:
            reasons.append(Ineligible.INVOICE_OVERDUE)
        if c.assigned:
            reasons.append(Ineligible.ALREADY_ASSIGNED)
        if c.currency not in terms.currencies:
            reasons.append(Ineligible.CURRENCY_NOT_ALLOWED)
        if (c.due_date - c.issue_date).days > terms.max_terms_days:
            reasons.append(Ineligible.TERMS_TOO_LONG)
        if (c.rating_class or "") not in terms.allowed_classes:
            reasons.append(Ineligible.CLASS_NOT_ALLOWED)
        limit = limits.get(c.customer_id)
        if not terms.recourse and (limit is None or not limit.approved):
            reasons.append(Ineligible.DEBTOR_NOT_APPROVED)
        elif limit is not None and not reasons:
            used[c.customer_id] += c.open_minor
            if used[c.customer_id] > limit.limit_minor:
                reasons.append(Ineligible.DEBTOR_LIMIT_EXCEEDED)
        out[c.invoice_id] = reasons
    return out


@dataclass(frozen=True, slots=True)
class Funding:
    """What assigning an invoice of `face` sets up with the factor."""

    face_minor: int
    advance_minor: int
    reserve_minor: int
    commission_minor: int


def funding(face_minor: int, terms: AgreementTerms) -> Funding:
    """The advance (rounded down: never more than the rate), reserve and commission."""
    advance = share_down(face_minor, terms.advance_percent)
    return Funding(
        face_minor=face_minor,
        advance_minor=advance,
        reserve_minor=face_minor - advance,
        commission_minor=share_half_up(face_minor, terms.commission_percent),
    )


def discount_interest(
    advance_minor: int,
    repayments: Iterable[tuple[date, int]],
    start: date,
    end: date,
    interest_percent: Decimal,
) -> int:
    """Simple interest a year on the advance outstanding from `start` to `end` (days counted
    from the day after the advance; a repayment on day P reduces it from day P + 1); money
    credited to the factor repays the advance first. Rounded half up once, at the end."""
    if end <= start:
        return 0
    outstanding = advance_minor
    principal_days = 0
    day = start
    for on, amount in sorted((d, a) for d, a in repayments if start <= d < end):
        principal_days += outstanding * (on - day).days
        outstanding = max(0, outstanding - amount)
        day = on
    principal_days += outstanding * (end - day).days
    exact = Decimal(principal_days) * interest_percent / Decimal(100) / Decimal(DAY_COUNT)
    return int(exact.to_integral_value(ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class Entry:
    """One sub-ledger entry as the rules read it."""

    kind: EntryKind
    amount_minor: int
    effective_on: date
    received_by: str | None = None  #: FACTOR or US, for collections


@dataclass(slots=True)
class Position:
    """One assigned invoice's balances in the sub-ledger, as of a date."""

    face_minor: int = 0
    factored_open_minor: int = 0  #: the receivable the factor still holds
    advance_minor: int = 0
    reserve_minor: int = 0  #: kept back by the factor and not yet released
    charges_minor: int = 0  #: commission and interest
    credited_minor: int = 0  #: collections the factor has (received by it or remitted by us)
    held_minor: int = 0  #: collections we received and still owe on (confidential)
    settled_minor: int = 0  #: reserve released (+) or shortfall paid (-)
    kinds: dict[str, int] = field(default_factory=dict)

    @property
    def owed_to_factor_minor(self) -> int:
        """What we owe the factor for this invoice (negative: it owes us)."""
        return self.advance_minor + self.charges_minor - self.credited_minor + self.settled_minor


def position(entries: Iterable[Entry], as_of: date | None = None) -> Position:
    """Balances from entries (those effective by `as_of` when given)."""
    p = Position()
    for e in entries:
        if as_of is not None and e.effective_on > as_of:
            continue
        p.kinds[e.kind] = p.kinds.get(e.kind, 0) + e.amount_minor
        amount = e.amount_minor
        if e.kind is EntryKind.ASSIGNMENT:
            p.face_minor += amount
            p.factored_open_minor += amount
        elif e.kind in REDUCING:
            p.factored_open_minor -= amount
            if e.kind is EntryKind.COLLECTION:
                if e.received_by == "US":
                    p.held_minor += amount
                else:
                    p.credited_minor += amount
        elif e.kind is EntryKind.ADVANCE:
            p.advance_minor += amount
        elif e.kind is EntryKind.RESERVE:
            p.reserve_minor += amount
        elif e.kind in (EntryKind.COMMISSION, EntryKind.INTEREST):
            p.charges_minor += amount
        elif e.kind is EntryKind.REMITTANCE:
            p.held_minor -= amount
            p.credited_minor += amount
        elif e.kind is EntryKind.RESERVE_RELEASE:
            p.reserve_minor -= min(amount, p.reserve_minor)
            p.settled_minor += amount
        elif e.kind is EntryKind.SHORTFALL:
            p.reserve_minor = 0
            p.settled_minor -= amount
    return p


@dataclass(frozen=True, slots=True)
class Settlement:
    """How an invoice's account with the factor closes."""

    interest_minor: int
    release_minor: int  #: the factor pays us
    shortfall_minor: int  #: we pay the factor


def settle(p: Position, interest_minor: int) -> Settlement:
    """Close an invoice's account: credits beyond the advance and charges come back to us as
    the reserve released; credits short of them are a shortfall we pay."""
    balance = p.credited_minor - p.advance_minor - p.charges_minor - interest_minor
    return Settlement(interest_minor, max(0, balance), max(0, -balance))


def buyback_due(due_date: date, recourse_days: int, on: date) -> bool:
    """Whether a with-recourse invoice still unpaid on `on` is past its recourse window."""
    return on > shift(due_date, recourse_days)


def window_ends(due_date: date, recourse_days: int) -> date:
    """The last day of a with-recourse invoice's window: the factor hands it back after it."""
    return shift(due_date, recourse_days)


def open_on(amount_minor: int, allocations: Iterable[tuple[date, int]], as_of: date) -> int:
    """The receivables ledger's open amount of an invoice at the end of a date."""
    return amount_minor - sum(a for d, a in allocations if d <= as_of)
