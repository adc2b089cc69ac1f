"""What the rules read about one customer, gathered set-wise by the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Amount:
    """Minor units in one currency (rules never mix currencies)."""

    currency: str
    minor: int


@dataclass(frozen=True)
class OrderVolume:
    """Orders in one currency: the recent span against the trailing period before it."""

    currency: str
    recent_count: int
    recent_minor: int
    trailing_count: int
    trailing_minor: int


@dataclass(frozen=True)
class Utilisation:
    """Exposure (open receivables and open orders) against the limit in force, one currency."""

    currency: str
    exposure_minor: int
    limit_minor: int


@dataclass(frozen=True)
class LegalRecord:
    """An open court record naming the customer as defendant (or a dishonest-debtor listing)."""

    ref: str
    legal_kind: str
    filed_on: str


@dataclass(frozen=True)
class News:
    """A negative news item and how severe the analyst judged it (LOW, MEDIUM, HIGH)."""

    ref: str
    severity: str
    recorded_on: str


@dataclass(frozen=True)
class Downgrade:
    """The customer's latest class change when it was a downgrade."""

    from_class: str | None
    to_class: str
    on: str


@dataclass(frozen=True)
class CustomerFacts:
    """One customer's facts as of a date; absent facts are empty, so a rule stays silent."""

    customer_id: str
    industry: str | None = None
    days_overdue: int = 0
    overdue: tuple[Amount, ...] = ()
    days_past_due_now: Decimal | None = None
    days_past_due_then: Decimal | None = None
    score_now: Decimal | None = None
    score_then: Decimal | None = None
    downgrade: Downgrade | None = None
    utilisation: tuple[Utilisation, ...] = ()
    orders: tuple[OrderVolume, ...] = ()
    broken_promises: int = 0
    missed_instalments: int = 0
    reversed_payments: tuple[str, ...] = ()
    contacts_removed: int = 0
    legal: tuple[LegalRecord, ...] = field(default=())
    news: tuple[News, ...] = ()
