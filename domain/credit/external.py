"""External credit data: bureau reports, legal records, negative news, site visits and bank
references, each with its source, date and evidence, and what they say about legal risk.

Every record is keyed by its source's own id (source + sourceRef), so an integrator can push
the same batch twice. The legal status read by the scorecard is the worst open legal record;
when nobody has looked (no bureau report or legal record in the last 12 months) it is missing,
not "clean". A record's dates are facts someone has observed, so none lies after the
caller's today.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from domain.credit.dates import check_date, months_before
from domain.errors import DomainError, ValidationFailed
from domain.money import Money


class RecordKind(StrEnum):
    """What kind of outside evidence a record is."""

    BUREAU_REPORT = "BUREAU_REPORT"
    LEGAL_RECORD = "LEGAL_RECORD"
    NEGATIVE_NEWS = "NEGATIVE_NEWS"
    SITE_VISIT = "SITE_VISIT"
    BANK_REFERENCE = "BANK_REFERENCE"


class LegalKind(StrEnum):
    """Lawsuit, arbitration, court enforcement, or a 失信被执行人 (dishonest debtor) listing."""

    LAWSUIT = "LAWSUIT"
    ARBITRATION = "ARBITRATION"
    ENFORCEMENT = "ENFORCEMENT"
    DISHONEST_DEBTOR = "DISHONEST_DEBTOR"


class PartyRole(StrEnum):
    """The customer's side: defendant / respondent / debtor, or plaintiff / applicant."""

    DEFENDANT = "DEFENDANT"
    PLAINTIFF = "PLAINTIFF"


class LegalStatus(StrEnum):
    """Pending (or listed), or over (judgement satisfied, withdrawn, delisted)."""

    OPEN = "OPEN"
    CLOSED = "CLOSED"


class Assessment(StrEnum):
    """What a visit, bank reference or report concluded."""

    POSITIVE = "POSITIVE"
    NEUTRAL = "NEUTRAL"
    NEGATIVE = "NEGATIVE"


class Severity(StrEnum):
    """How serious a piece of negative news is."""

    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"


E = TypeVar("E", bound=StrEnum)

MAX_SOURCE = 100
MAX_SOURCE_REF = 200
MAX_SUMMARY = 4000
MAX_EVIDENCE = 1000
MAX_SHORT = 200
MAX_SCORE = 40
#: A legal check older than a year does not vouch for today (the practice reviews yearly).
LEGAL_CHECK_MONTHS = 12
NEWS_MONTHS = 12  #: negative news counts for a year


@dataclass(frozen=True)
class RecordIn:
    """A record as submitted; the kind decides which of the optional fields are required."""

    kind: str
    source: str
    source_ref: str
    recorded_on: date
    summary: str | None = None
    evidence: str | None = None
    score: str | None = None
    assessment: str | None = None
    severity: str | None = None
    party: str | None = None
    legal_kind: str | None = None
    role: str | None = None
    case_number: str | None = None
    court: str | None = None
    amount: str | None = None
    currency: str | None = None
    status: str | None = None
    filed_on: date | None = None
    closed_on: date | None = None


@dataclass(frozen=True)
class Record:
    """A checked record, fields normalised (amount in minor units)."""

    kind: RecordKind
    source: str
    source_ref: str
    recorded_on: date
    summary: str | None
    evidence: str | None
    score: str | None
    assessment: Assessment | None
    severity: Severity | None
    party: str | None
    legal_kind: LegalKind | None
    role: PartyRole | None
    case_number: str | None
    court: str | None
    amount: Money | None
    status: LegalStatus | None
    filed_on: date | None
    closed_on: date | None


def _text(
    value: str | None, field: str, limit: int, errors: list[DomainError], required: bool = False
) -> str | None:
    text = (value or "").strip() or None
    if text is None and required:
        errors.append(DomainError("REQUIRED", "must not be blank", field))
    elif text is not None and len(text) > limit:
        errors.append(DomainError("TOO_LONG", f"at most {limit} characters", field))
    return text


def _choice(
    cls: type[E], raw: str | None, field: str, errors: list[DomainError], required: bool
) -> E | None:
    text = (raw or "").strip().upper()
    if not text:
        if required:
            errors.append(DomainError("REQUIRED", f"one of {', '.join(cls)}", field))
        return None
    try:
        return cls(text)
    except ValueError:
        errors.append(DomainError("INVALID_KIND", f"one of {', '.join(cls)}", field))
        return None


def check_record(data: RecordIn, today: date, prefix: str = "") -> Record:
    """The checked record, or every problem at once (field paths after `prefix`); its dates
    are facts already observed, so none lies after the caller's `today`."""
    errors: list[DomainError] = []
    p = prefix
    kind = _choice(RecordKind, data.kind, f"{p}kind", errors, True)
    for value, name in (
        (data.recorded_on, "recordedOn"),
        (data.filed_on, "filedOn"),
        (data.closed_on, "closedOn"),
    ):
        if value is not None:
            try:
                check_date(value, f"{p}{name}")
            except DomainError as exc:
                errors.append(exc)
            else:
                if value > today:
                    errors.append(
                        DomainError("FUTURE_DATE", f"after today ({today})", f"{p}{name}")
                    )
    legal = kind == RecordKind.LEGAL_RECORD
    judged = kind in (RecordKind.SITE_VISIT, RecordKind.BANK_REFERENCE)
    amount = None
    if data.amount is not None and (data.amount or "").strip():
        try:
            amount = Money.parse(data.amount, (data.currency or "").strip().upper(), f"{p}amount")
        except DomainError as exc:  # amount and currency are two flat fields of a record
            flat = f"{p}currency" if exc.code == "UNKNOWN_CURRENCY" else f"{p}amount"
            errors.append(DomainError(exc.code, exc.message, flat))
        else:
            if amount.is_negative:
                errors.append(DomainError("NEGATIVE_AMOUNT", "must not be negative", f"{p}amount"))
    record = Record(
        kind=kind or RecordKind.BUREAU_REPORT,
        source=_text(data.source, f"{p}source", MAX_SOURCE, errors, True) or "",
        source_ref=_text(data.source_ref, f"{p}sourceRef", MAX_SOURCE_REF, errors, True) or "",
        recorded_on=data.recorded_on,
        summary=_text(data.summary, f"{p}summary", MAX_SUMMARY, errors),
        evidence=_text(data.evidence, f"{p}evidence", MAX_EVIDENCE, errors, True),
        score=_text(data.score, f"{p}score", MAX_SCORE, errors, kind == RecordKind.BUREAU_REPORT),
        assessment=_choice(Assessment, data.assessment, f"{p}assessment", errors, judged),
        severity=_choice(
            Severity, data.severity, f"{p}severity", errors, kind == RecordKind.NEGATIVE_NEWS
        ),
        party=_text(data.party, f"{p}party", MAX_SHORT, errors, judged),
        legal_kind=_choice(LegalKind, data.legal_kind, f"{p}legalKind", errors, legal),
        role=_choice(PartyRole, data.role, f"{p}role", errors, legal),
        case_number=_text(data.case_number, f"{p}caseNumber", MAX_SHORT, errors, legal),
        court=_text(data.court, f"{p}court", MAX_SHORT, errors, legal),
        amount=amount,
        status=_choice(LegalStatus, data.status, f"{p}status", errors, legal),
        filed_on=data.filed_on,
        closed_on=data.closed_on,
    )
    if legal and data.filed_on is None:
        errors.append(DomainError("REQUIRED", "the date the case was filed", f"{p}filedOn"))
    if data.filed_on and data.closed_on and data.closed_on < data.filed_on:
        errors.append(DomainError("INVALID_DATE", "closed before it was filed", f"{p}closedOn"))
    if record.status == LegalStatus.CLOSED and data.closed_on is None:
        errors.append(DomainError("REQUIRED", "a closed case has a closing date", f"{p}closedOn"))
    if not legal and any(
        v is not None for v in (data.legal_kind, data.role, data.case_number, data.status)
    ):
        errors.append(
            DomainError("INVALID_INPUT", "legal fields belong to legal records", f"{p}legalKind")
        )
    if errors:
        raise ValidationFailed(errors)
    return record


@dataclass(frozen=True)
class LegalFact:
    """What the legal-status rule needs of a record."""

    kind: RecordKind
    recorded_on: date
    legal_kind: LegalKind | None = None
    role: PartyRole | None = None
    status: LegalStatus | None = None


#: Worst first: the scorecard's LEGAL_STATUS categories.
LEGAL_ORDER = ("DISHONEST_DEBTOR", "ENFORCEMENT", "DEFENDANT", "PLAINTIFF", "NONE")


def _category(fact: LegalFact) -> str:
    if fact.legal_kind == LegalKind.DISHONEST_DEBTOR:
        return "DISHONEST_DEBTOR"
    if fact.role == PartyRole.PLAINTIFF:
        return "PLAINTIFF"
    if fact.legal_kind == LegalKind.ENFORCEMENT:
        return "ENFORCEMENT"
    return "DEFENDANT"


def legal_status(facts: Iterable[LegalFact], as_of: date) -> str | None:
    """The worst open legal record's category; NONE when checked and clean; None when nobody
    checked (no bureau report or legal record within the last 12 months, and nothing open)."""
    since = months_before(as_of, LEGAL_CHECK_MONTHS)
    worst = len(LEGAL_ORDER) - 1
    checked = False
    for fact in facts:
        if fact.recorded_on > as_of:
            continue
        if (
            fact.kind in (RecordKind.BUREAU_REPORT, RecordKind.LEGAL_RECORD)
            and fact.recorded_on > since
        ):
            checked = True
        if fact.kind == RecordKind.LEGAL_RECORD and fact.status == LegalStatus.OPEN:
            checked = True
            worst = min(worst, LEGAL_ORDER.index(_category(fact)))
    return LEGAL_ORDER[worst] if checked else None


def negative_news(facts: Iterable[LegalFact], as_of: date) -> int:
    """Negative news items recorded in the last 12 months."""
    since = months_before(as_of, NEWS_MONTHS)
    return sum(
        1 for f in facts if f.kind == RecordKind.NEGATIVE_NEWS and since < f.recorded_on <= as_of
    )
