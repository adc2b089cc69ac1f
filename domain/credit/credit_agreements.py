"""Credit agreements (赊销协议): limit, terms, late interest, guarantees, dispute venue, validity.

Seed 003 §4: a written agreement states the credit limit (4.1), the payment terms (4.2), the
late-payment interest (4.3) and the guarantees (4.4); seeds 001 and 004 add how disputes are
settled (arbitration or litigation). An agreement about to end calls for a review, so a
renewal is signed in time. A signed agreement binds only from its first day: until then it
is signed but not yet in force, and the one it replaces stays in force.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from domain.credit.bounds import clean_text, date_error
from domain.credit.dates import months_before
from domain.errors import DomainError, ValidationFailed
from domain.interest import LATE_INTEREST_PER_DAY, parse_daily_rate
from domain.money import Money, document_amount_error


class AgreementStatus(StrEnum):
    """A draft awaits signature; a signed one is in force from its first day until it ends or
    a newer replaces it (NOT_YET_IN_FORCE is only ever read as of a day, never stored)."""

    DRAFT = "DRAFT"
    NOT_YET_IN_FORCE = "NOT_YET_IN_FORCE"
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    SUPERSEDED = "SUPERSEDED"


class DisputeVenue(StrEnum):
    """Where a dispute is settled (seed 001: 约定争议解决方式，如仲裁、诉讼)."""

    ARBITRATION = "ARBITRATION"
    COURT = "COURT"


class GuaranteeKind(StrEnum):
    """Security the customer gives (seed 003 §4.4 抵押物或担保人; seed 004 §3.2 银行保函)."""

    THIRD_PARTY_GUARANTEE = "THIRD_PARTY_GUARANTEE"
    BANK_GUARANTEE = "BANK_GUARANTEE"
    COLLATERAL = "COLLATERAL"


#: seed 002: overdue payment costs 日万分之五 (0.05% a day), the usual contract default.
DEFAULT_LATE_INTEREST = LATE_INTEREST_PER_DAY
#: platform default: an agreement runs a year, the longest review interval (class A) of the
#: practice's periodic review (seed 003 §5).
DEFAULT_VALIDITY_MONTHS = 12
#: platform default: a review opens 30 days before an agreement ends, so the renewal is
#: assessed and signed before the customer trades without one.
DEFAULT_REVIEW_LEAD_DAYS = 30
MAX_GUARANTEES = 10  #: guarantees one agreement lists
MAX_DESCRIPTION = 500  #: a guarantee's description (who, what, where registered)
MAX_VENUE = 200  #: the name of the arbitration commission or court
MAX_DOCUMENT_REF = 500  #: where the signed copy is kept
MAX_NUMBER = 100  #: the agreement's number (合同编号), as texts.AGREEMENT_NUMBER


@dataclass(frozen=True)
class Guarantee:
    """One required guarantee."""

    kind: GuaranteeKind
    description: str
    amount: Money | None = None

    def to_json(self) -> dict[str, Any]:
        """As stored (money as minor units and currency)."""
        return {
            "kind": self.kind.value,
            "description": self.description,
            "amount": None
            if self.amount is None
            else {"minor": self.amount.minor, "currency": self.amount.currency},
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Guarantee:
        """Back from storage."""
        amount = raw.get("amount")
        return cls(
            GuaranteeKind(raw["kind"]),
            raw["description"],
            None if amount is None else Money(int(amount["minor"]), amount["currency"]),
        )


@dataclass(frozen=True)
class AgreementTerms:
    """An agreement's terms after checking."""

    number: str | None
    limit: Money
    terms_code: str
    late_interest_daily_rate: Decimal
    guarantees: tuple[Guarantee, ...]
    venue: DisputeVenue
    venue_name: str
    signed_on: date | None
    valid_from: date
    valid_to: date
    document_ref: str | None


def default_valid_to(valid_from: date) -> date:
    """The last day of an agreement of the default length."""
    return months_before(valid_from, -DEFAULT_VALIDITY_MONTHS) - timedelta(days=1)


@dataclass(frozen=True)
class GuaranteeIn:
    """A guarantee as the API received it (the amount already parsed, or its refusal)."""

    kind: str
    description: str | None
    amount: Money | None = None


def _guarantees(items: list[GuaranteeIn], errors: list[DomainError]) -> tuple[Guarantee, ...]:
    if len(items) > MAX_GUARANTEES:
        errors.append(DomainError("TOO_MANY", f"at most {MAX_GUARANTEES}", "guarantees"))
        return ()
    out = []
    for n, g in enumerate(items):
        path = f"guarantees.{n}"
        try:
            kind = GuaranteeKind(g.kind)
        except ValueError:
            errors.append(DomainError("INVALID_KIND", "an unknown guarantee", f"{path}.kind"))
            continue
        text = clean_text(g.description, f"{path}.description", MAX_DESCRIPTION, errors, True)
        if g.amount is not None and g.amount.minor <= 0:
            errors.append(DomainError("AMOUNT_NOT_POSITIVE", "above zero", f"{path}.amount"))
        elif g.amount is not None and (too_large := document_amount_error(g.amount, path)):
            errors.append(DomainError(too_large.code, too_large.message, f"{path}.amount"))
        if text is not None:
            out.append(Guarantee(kind, text, g.amount))
    return tuple(out)


def check_agreement(
    *,
    number: str | None,
    limit: Money,
    terms_code: str | None,
    rate: str | None,
    guarantees: list[GuaranteeIn],
    venue: str,
    venue_name: str | None,
    signed_on: date | None,
    valid_from: date,
    valid_to: date | None,
    document_ref: str | None,
    today: date,
) -> AgreementTerms:
    """Every problem of an agreement at once (ValidationFailed), else its checked terms."""
    errors: list[DomainError] = []
    if limit.minor <= 0:
        errors.append(DomainError("AMOUNT_NOT_POSITIVE", "a limit above zero", "limit.amount"))
    elif too_large := document_amount_error(limit, "limit.amount"):
        errors.append(too_large)  # the ceiling every job and letter can carry
    code = (terms_code or "").strip().upper()
    if not code:
        errors.append(DomainError("REQUIRED", "the agreed payment terms", "paymentTermsCode"))
    daily = DEFAULT_LATE_INTEREST
    if rate is not None:
        try:
            daily = parse_daily_rate(rate, "lateInterestDailyRate")
        except DomainError as exc:
            errors.append(exc)
    try:
        place = DisputeVenue(venue)
    except ValueError:
        errors.append(DomainError("INVALID_KIND", "ARBITRATION or COURT", "disputeVenue"))
        place = DisputeVenue.COURT
    name = clean_text(venue_name, "venueName", MAX_VENUE, errors, required=True)
    ref = clean_text(document_ref, "documentRef", MAX_DOCUMENT_REF, errors, required=False)
    no = clean_text(number, "number", MAX_NUMBER, errors, required=False)
    # the default end is a year on; from an implausible start it would overflow the calendar
    end = valid_to or (valid_from if date_error(valid_from, "") else default_valid_to(valid_from))
    for value, field in ((signed_on, "signedOn"), (valid_from, "validFrom"), (end, "validTo")):
        problem = date_error(value, field)
        if problem:
            errors.append(problem)
    if end < valid_from:
        errors.append(DomainError("INVALID_DATE", "ends before it starts", "validTo"))
    if signed_on is not None and signed_on > today:
        errors.append(DomainError("FUTURE_DATE", "cannot be signed in the future", "signedOn"))
    checked = _guarantees(guarantees, errors)
    if errors:
        raise ValidationFailed(errors)
    assert name is not None
    return AgreementTerms(
        no, limit, code, daily, checked, place, name, signed_on, valid_from, end, ref
    )


def check_signature(signed_on: date, today: date, status: AgreementStatus) -> None:
    """A draft is signed once, on a day that has come."""
    if status != AgreementStatus.DRAFT:
        raise DomainError("INVALID_STATUS", f"the agreement is {status.value.lower()}", "id")
    problem = date_error(signed_on, "signedOn")
    if problem:
        raise problem
    if signed_on > today:
        raise DomainError("FUTURE_DATE", "cannot be signed in the future", "signedOn")


def lapsed(valid_to: date, as_of: date) -> bool:
    """An agreement ended before `as_of` (its last day is `valid_to`)."""
    return valid_to < as_of


def in_force(valid_from: date, valid_to: date, as_of: date) -> bool:
    """A signed agreement binds from its first day to its last, whatever day it was signed."""
    return valid_from <= as_of <= valid_to


def replaced_from(valid_from: date, valid_to: date, others: Iterable[date]) -> date | None:
    """The day a later-starting signed agreement of the customer (`others`: their first
    days) takes over while this one still runs; None when none does, so it runs to its end."""
    return min((o for o in others if valid_from < o <= valid_to), default=None)


def status_on(
    recorded: AgreementStatus,
    valid_from: date,
    valid_to: date,
    replaced: date | None,
    as_of: date,
) -> AgreementStatus:
    """The status a reader sees on `as_of`: a signed (ACTIVE) record is in force only within
    its validity and until its successor starts; drafts and ended ones read as recorded."""
    if recorded is not AgreementStatus.ACTIVE:
        return recorded
    if replaced is not None and replaced <= as_of:
        return AgreementStatus.SUPERSEDED
    if lapsed(valid_to, as_of):
        return AgreementStatus.EXPIRED
    if as_of < valid_from:
        return AgreementStatus.NOT_YET_IN_FORCE
    return AgreementStatus.ACTIVE


def keeps_running(other_from: date, other_to: date, new_from: date, today: date) -> bool:
    """Signing a later-starting agreement leaves the one in force today running until the new
    one starts (every other signed one is superseded at once), so no day goes uncovered."""
    return today < new_from and in_force(other_from, other_to, today)


def expiring(
    valid_from: date, valid_to: date, others: Iterable[date], as_of: date, lead_days: int
) -> bool:
    """An agreement in force on `as_of` that ends within the lead time, with no later-starting
    signed one of the customer (`others`: their first days) to follow it: its renewal is due."""
    if any(o > valid_from for o in others):
        return False
    return in_force(valid_from, valid_to, as_of) and valid_to <= as_of + timedelta(days=lead_days)
