"""Plain data the services hand to templates (documents/ never queries the database)."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from domain.money import Money


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
    completeness_ratio: Decimal  #: 0..1, 4 decimals
    contacts: list[ContactLine] = field(default_factory=list)
    partners: list[PartnerLine] = field(default_factory=list)
    timeline: list[EntryLine] = field(default_factory=list)
    missing: list[MissingLine] = field(default_factory=list)
    warnings: list[WarningLine] = field(default_factory=list)
    analysis: list[AnalysisLine] = field(default_factory=list)
    score: ScoreBlock | None = None
    limits: list[LimitLine] = field(default_factory=list)
    time_zone: str = "UTC"  #: the tenant's: times print as its clock showed them


@dataclass(frozen=True)
class Picture:
    """A logo or a seal scan (PNG or JPEG) as the template embeds it."""

    media_type: str
    data: bytes

    @property
    def data_url(self) -> str:
        """The image inline, so rendering never fetches anything."""
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode()}"


@dataclass(frozen=True)
class Letterhead:
    """Who writes: the seller (or, on a lawyer's letter, the law firm) as printed on top."""

    name: str
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    contact_person: str | None = None
    logo: Picture | None = None


@dataclass(frozen=True)
class PayInto:
    """A bank account the customer pays into (户名, 开户行, 账号)."""

    bank: str
    account_name: str
    account_number: str
    currency: str
    branch: str | None = None


@dataclass(frozen=True)
class LawFirm:
    """The firm and the lawyer who write and sign a lawyer's letter."""

    name: str
    lawyer: str | None = None
    address: str | None = None
    phone: str | None = None

    @property
    def letterhead(self) -> Letterhead:
        """The firm's own letterhead: a lawyer's letter is written on the firm's paper."""
        return Letterhead(self.name, self.address, self.phone)


@dataclass(frozen=True)
class LetterItem:
    """An overdue invoice on a letter, with its order or contract and the interest to date."""

    number: str
    order_ref: str | None
    issued_on: date
    due_on: date
    days_overdue: int
    amount: Money
    open: Money
    interest: Money


@dataclass(frozen=True)
class LetterCurrency:
    """A letter's items in one currency, their totals and the accounts to pay them into."""

    currency: str
    items: list[LetterItem]
    open: Money
    interest: Money
    accounts: list[PayInto] = field(default_factory=list)

    @property
    def total(self) -> Money:
        """What the letter asks for: the open amount and the interest."""
        return self.open + self.interest


@dataclass(frozen=True)
class PriorLetter:
    """A letter sent before this one, cited by the next step of the ladder."""

    kind: str
    number: str
    sent_on: date


@dataclass(frozen=True)
class DunningLetter:
    """Everything a dunning letter shows; kind is REMINDER, DEMAND or LAWYER; a letter
    without a number is a draft, marked as such on every page."""

    kind: str
    number: str | None
    as_of: date
    deadline: date
    seller: Letterhead
    customer_code: str
    customer_name: str
    currencies: list[LetterCurrency]
    daily_rate: Decimal
    seal: Picture | None = None
    law_firm: LawFirm | None = None
    prior: list[PriorLetter] = field(default_factory=list)

    @property
    def order_refs(self) -> list[str]:
        """The orders or contracts the overdue invoices belong to, each once."""
        refs = (i.order_ref for c in self.currencies for i in c.items if i.order_ref)
        return list(dict.fromkeys(refs))


@dataclass(frozen=True)
class StatementLine:
    """A movement of the month: an invoice with its order, terms and due date, or cash."""

    on: date
    kind: str
    ref: str
    amount: Money
    order_ref: str | None = None
    due_on: date | None = None
    terms_days: int | None = None


@dataclass(frozen=True)
class OpenItem:
    """An invoice open at the period's end, its age and the late interest to that day."""

    number: str
    order_ref: str | None
    issued_on: date | None
    due_on: date
    terms_days: int | None
    amount: Money | None
    open: Money
    days_overdue: int
    interest: Money | None
    bucket: str


@dataclass(frozen=True)
class FactorRemittance:
    """Invoices assigned under disclosed factoring: paid to the factor, into its account."""

    factor: str
    bank: str | None
    account_name: str | None
    account_number: str | None
    invoices: list[str]


@dataclass(frozen=True)
class StatementDocument:
    """A monthly statement (对账单) as printed, with its confirmation slip (回执)."""

    reference: str
    seller: Letterhead
    customer_code: str
    customer_name: str
    period_from: date
    period_to: date
    currency: str
    opening: Money
    closing: Money
    lines: list[StatementLine]
    open_items: list[OpenItem]
    interest: Money
    generated_at: datetime  #: in the tenant's time zone
    time_zone: str
    accounts: list[PayInto] = field(default_factory=list)
    seal: Picture | None = None
    remittance: FactorRemittance | None = None  #: the factor's instruction (risk transfer)

    def total(self, *kinds: str) -> Money:
        """The month's movements of some kinds, summed."""
        minor = sum(line.amount.minor for line in self.lines if line.kind in kinds)
        return Money(minor, self.currency)

    @property
    def overdue(self) -> Money:
        """What was past due at the period's end."""
        minor = sum(i.open.minor for i in self.open_items if i.days_overdue > 0)
        return Money(minor, self.currency)
