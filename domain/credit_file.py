"""Credit-file completeness and review: which dossier items are missing or stale."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from typing import overload

from domain.dates import shift

#: common practice: review every customer's credit file at least once a year.
DEFAULT_REVIEW_INTERVAL_DAYS = 365


class DocumentKind(StrEnum):
    """What a dated timeline entry of the dossier is."""

    NOTE = "NOTE"
    FINANCIAL_STATEMENT = "FINANCIAL_STATEMENT"
    CREDIT_REPORT = "CREDIT_REPORT"
    LEGAL_RECORD = "LEGAL_RECORD"
    SITE_VISIT = "SITE_VISIT"
    CONTRACT = "CONTRACT"
    OTHER = "OTHER"


class RelationKind(StrEnum):
    """How a partner or related party is linked to the customer."""

    PARENT = "PARENT"
    SUBSIDIARY = "SUBSIDIARY"
    SHAREHOLDER = "SHAREHOLDER"
    KEY_SUPPLIER = "KEY_SUPPLIER"
    KEY_BUYER = "KEY_BUYER"
    GUARANTOR = "GUARANTOR"


@dataclass(frozen=True, slots=True)
class RequiredItem:
    """One dossier item the tenant's policy requires; `max_age_days` makes it go stale."""

    key: str
    max_age_days: int | None = None


#: The source practice's checklist before trading on credit: history, financial statements,
#: credit record, legal record, business model, partners, plus identity data. Keys are
#: SCREAMING_SNAKE everywhere: a customer field's name (REGISTRATION_NUMBER for
#: registrationNumber) or a dossier entry kind (FINANCIAL_STATEMENT).
DEFAULT_POLICY: tuple[RequiredItem, ...] = (
    RequiredItem("REGISTRATION_NUMBER"),
    RequiredItem("INDUSTRY"),
    RequiredItem("REGISTERED_CAPITAL"),
    RequiredItem("ANNUAL_SALES"),
    RequiredItem("CONTACTS"),
    RequiredItem("COMPANY_HISTORY"),
    RequiredItem("BUSINESS_MODEL"),
    RequiredItem("PARTNERS"),
    RequiredItem("FINANCIAL_STATEMENT", max_age_days=548),  #: statements older than 18 months
    RequiredItem("CREDIT_REPORT", max_age_days=365),  #: a credit record at most a year old
    RequiredItem("LEGAL_RECORD", max_age_days=365),  #: a litigation search at most a year old
)

#: A completeness ratio's step: the precision of every other ratio of the API.
RATIO_STEP = Decimal("0.0001")
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def policy_key(key: str) -> str:
    """A policy key in its one spelling, SCREAMING_SNAKE: the camelCase field names of
    earlier policies (registrationNumber) are still accepted and read as REGISTRATION_NUMBER."""
    return _CAMEL_HUMP.sub("_", key.strip()).upper()


@dataclass(frozen=True, slots=True)
class CreditFileFacts:
    """What the dossier holds, gathered by a service; the rule only reads it: `present` the
    items held undated (customer fields, partners), `latest_document` each dated item's
    newest date from any source (timeline entries, credit-decision records)."""

    present: frozenset[str]
    latest_document: Mapping[str, date] = field(default_factory=dict)


#: The external credit-data kinds (domain.credit.external.RecordKind) that are dossier items,
#: and the item each one is: a bureau report is the credit record the checklist asks for.
EXTERNAL_ITEMS: Mapping[str, str] = {
    "BUREAU_REPORT": DocumentKind.CREDIT_REPORT.value,
    "LEGAL_RECORD": DocumentKind.LEGAL_RECORD.value,
    "SITE_VISIT": DocumentKind.SITE_VISIT.value,
}
#: The item a recorded financial statement is, dated by its period's end: the policy's
#: 18 months measure how old the figures are, not when they were typed in.
STATEMENT_ITEM = DocumentKind.FINANCIAL_STATEMENT.value
#: The customer's annual sales, which an annual statement stating its revenue also shows
#: (as the scorecard reads it), dated by that statement's period end.
SALES_ITEM = "ANNUAL_SALES"


@dataclass(frozen=True, slots=True)
class CreditRecords:
    """The newest dates of what the credit-decision mutations recorded for one customer."""

    #: the newest financial statement's period end (any kind, any source)
    statement_end: date | None = None
    #: the newest period end of an ANNUAL statement that states its revenue
    sales_end: date | None = None
    #: the newest `recorded_on` per external record kind (BUREAU_REPORT, LEGAL_RECORD, ...)
    external: Mapping[str, date] = field(default_factory=dict)


def dated_items(entries: Mapping[str, date], records: CreditRecords) -> dict[str, date]:
    """Each dated item's newest date from the timeline and the credit records together, so
    an item is fresh when either source holds it fresh."""
    latest = dict(entries)
    found: list[tuple[str | None, date | None]] = [
        (STATEMENT_ITEM, records.statement_end),
        (SALES_ITEM, records.sales_end),
    ]
    found += [(EXTERNAL_ITEMS.get(kind), day) for kind, day in records.external.items()]
    for key, day in found:
        if key is not None and day is not None:
            known = latest.get(key)
            latest[key] = day if known is None or day > known else known
    return latest


@dataclass(frozen=True, slots=True)
class MissingItem:
    """A required item that is absent, or present but older than the policy allows."""

    key: str
    reason: str  # "ABSENT" or "STALE"
    as_of: date | None = None


@dataclass(frozen=True, slots=True)
class Completeness:
    """Share of required items present and fresh, and the list of what is not."""

    ratio: Decimal  #: 0..1 in steps of RATIO_STEP
    missing: tuple[MissingItem, ...]


def parse_policy(raw: Sequence[Mapping[str, object]] | None) -> tuple[RequiredItem, ...]:
    """Read a tenant's stored policy; fall back to the default when none is set."""
    if not raw:
        return DEFAULT_POLICY
    items = []
    for entry in raw:
        age = entry.get("maxAgeDays")
        key = policy_key(str(entry["key"]))
        items.append(RequiredItem(key, int(age) if age is not None else None))  # type: ignore[call-overload]
    return tuple(items)


def completeness(
    facts: CreditFileFacts, policy: Sequence[RequiredItem], as_of: date
) -> Completeness:
    """Grade a dossier against the policy on `as_of`."""
    return completeness_many([facts], policy, as_of)[0]


def completeness_many(
    dossiers: Sequence[CreditFileFacts], policy: Sequence[RequiredItem], as_of: date
) -> list[Completeness]:
    """Grade many dossiers against one policy (a page of customers): each item's staleness
    cutoff and its ABSENT finding are worked out once, not once per dossier. An item held
    undated (a filled field) is present; else its newest date makes it fresh or STALE; an
    item neither held nor dated is ABSENT."""
    checks = [
        (
            item.key,
            None if item.max_age_days is None else shift(as_of, -item.max_age_days),
            MissingItem(item.key, "ABSENT"),
        )
        for item in policy
    ]
    total = len(checks)
    # each possible ratio worked out once: a dossier then costs a list index, not a division
    ratios = [
        Decimal(1)
        if total == 0
        else (Decimal(total - n) / total).quantize(RATIO_STEP, rounding=ROUND_HALF_EVEN)
        for n in range(total + 1)
    ]
    grades: list[Completeness] = []
    for facts in dossiers:
        latest, present = facts.latest_document, facts.present
        missing: list[MissingItem] = []
        for key, cutoff, absent in checks:
            if key in present:
                continue
            dated = latest.get(key)
            if dated is None:
                missing.append(absent)
            elif cutoff is not None and dated < cutoff:
                missing.append(MissingItem(key, "STALE", dated))
        grades.append(Completeness(ratios[len(missing)], tuple(missing)))
    return grades


@overload
def next_review_due(last_reviewed_on: date, interval_days: int) -> date: ...
@overload
def next_review_due(last_reviewed_on: None, interval_days: int) -> None: ...
@overload
def next_review_due(last_reviewed_on: date | None, interval_days: int) -> date | None: ...
def next_review_due(last_reviewed_on: date | None, interval_days: int) -> date | None:
    """When the next periodic review falls due: one interval after the last (None: never)."""
    return None if last_reviewed_on is None else shift(last_reviewed_on, interval_days)


@dataclass(frozen=True, slots=True)
class ReviewFinding:
    """A reason to raise a warning on a customer after a credit-file review."""

    kind: str  # CREDIT_FILE_STALE | CREDIT_FILE_INCOMPLETE
    evidence: Mapping[str, object]


def review_findings(
    facts: CreditFileFacts,
    policy: Sequence[RequiredItem],
    last_reviewed_on: date | None,
    created_on: date,
    interval_days: int,
    as_of: date,
) -> list[ReviewFinding]:
    """What a periodic review finds: an overdue review and/or an incomplete dossier."""
    findings: list[ReviewFinding] = []
    # a file never reviewed falls due one interval after the customer was created
    due_on = next_review_due(last_reviewed_on or created_on, interval_days)
    if due_on < as_of:
        findings.append(
            ReviewFinding(
                "CREDIT_FILE_STALE",
                {
                    "lastReviewedOn": last_reviewed_on.isoformat() if last_reviewed_on else None,
                    "reviewDueOn": due_on.isoformat(),
                    "intervalDays": interval_days,
                    "daysOverdue": (as_of - due_on).days,
                },
            )
        )
    grade = completeness(facts, policy, as_of)
    if grade.missing:
        findings.append(
            ReviewFinding(
                "CREDIT_FILE_INCOMPLETE",
                {
                    "ratio": str(grade.ratio),
                    "missing": [{"key": m.key, "reason": m.reason} for m in grade.missing],
                },
            )
        )
    return findings
