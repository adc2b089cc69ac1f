"""Plain data the services hand to templates (documents/ never queries the database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class ContactLine:
    """A person at the customer."""

    name: str
    role: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class PartnerLine:
    """A related party: kind is a RelationKind name (PARENT, GUARANTOR, ...)."""

    kind: str
    code: str
    name: str
    note: str | None = None


@dataclass(frozen=True)
class EntryLine:
    """A dated dossier entry: kind is an entry kind name (FINANCIAL_STATEMENT, NOTE, ...)."""

    occurred_on: date
    kind: str
    title: str
    body: str | None = None
    document_ref: str | None = None


@dataclass(frozen=True)
class MissingLine:
    """A required item absent or stale: key is a policy key, reason ABSENT or STALE."""

    key: str
    reason: str
    as_of: date | None = None


@dataclass(frozen=True)
class WarningLine:
    """An open warning on the customer."""

    kind: str
    level: str
    raised_at: datetime


@dataclass(frozen=True)
class AnalysisLine:
    """One statement of the financial analysis: its period, Z'' and ratios (preformatted)."""

    period_end: date
    kind: str
    source: str
    z_score: str | None
    z_zone: str | None
    ratios: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ScoreBlock:
    """The latest score and why: the reason codes are its largest negative contributions."""

    as_of: date
    score: str
    score_class: str
    rating_class: str
    reasons: list[str] = field(default_factory=list)
    knock_outs: list[str] = field(default_factory=list)
    missing_inputs: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LimitLine:
    """One approved limit of the history, newest first."""

    kind: str
    scope: str
    amount: str
    valid_from: date
    valid_to: date | None
    basis: str
    approved_by: str


@dataclass(frozen=True)
class CreditFileReport:
    """Everything the credit-file report (客户信用档案 / Credit file) shows.

    Money values are preformatted decimal strings with their currency, e.g. "5000000.00 CNY".
    """

    tenant_name: str
    generated_at: datetime
    generated_by: str
    code: str
    legal_name: str
    country: str
    registration_number: str | None
    industry: str | None
    status: str
    founded_on: date | None
    registered_capital: str | None
    annual_sales: str | None
    business_model: str | None
    company_history: str | None
    salesperson: str | None
    last_reviewed_on: date | None
    next_review_due_on: date | None
    completeness_ratio: float
    contacts: list[ContactLine] = field(default_factory=list)
    partners: list[PartnerLine] = field(default_factory=list)
    timeline: list[EntryLine] = field(default_factory=list)
    missing: list[MissingLine] = field(default_factory=list)
    warnings: list[WarningLine] = field(default_factory=list)
    analysis: list[AnalysisLine] = field(default_factory=list)
    score: ScoreBlock | None = None
    limits: list[LimitLine] = field(default_factory=list)


@dataclass(frozen=True)
class LetterItem:
    """An overdue item on a dunning letter; amounts are decimal strings."""

    number: str
    due: date
    days: int
    open: str
    interest: str


@dataclass(frozen=True)
class LetterCurrency:
    """A dunning letter's items in one currency, with their totals."""

    currency: str
    items: list[LetterItem]
    open: str
    interest: str


@dataclass(frozen=True)
class DunningLetter:
    """Everything a dunning letter shows: kind is REMINDER, DEMAND or LAWYER."""

    kind: str
    tenant_name: str
    code: str
    legal_name: str
    as_of: date
    currencies: list[LetterCurrency] = field(default_factory=list)


@dataclass(frozen=True)
class StatementDocument:
    """A stored statement as printed: its content (as kept) and the names it carries."""

    tenant_name: str
    code: str
    legal_name: str
    content: dict[str, Any]
