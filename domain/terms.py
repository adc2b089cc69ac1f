"""Payment terms: when an invoice falls due, in one payment or in instalments."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from domain.dates import shift
from domain.errors import DomainError


class TermsKind(StrEnum):
    """How the due date is derived from the issue date."""

    NET = "NET"
    END_OF_MONTH = "END_OF_MONTH"
    INSTALMENTS = "INSTALMENTS"


@dataclass(frozen=True)
class Instalment:
    """A share of the invoice due some days after issue."""

    percent: Decimal
    offset_days: int


@dataclass(frozen=True)
class PaymentTerms:
    """A terms template: net days, end of month plus days, or instalments."""

    kind: TermsKind
    net_days: int = 0
    eom_plus_days: int = 0
    instalments: tuple[Instalment, ...] = ()

    def __post_init__(self) -> None:
        if self.net_days < 0 or self.eom_plus_days < 0:
            raise DomainError("INVALID_TERMS", "days cannot be negative", "netDays")
        if self.kind == TermsKind.INSTALMENTS:
            if not self.instalments:
                raise DomainError(
                    "INVALID_TERMS", "instalment terms need instalments", "instalments"
                )
            if any(i.percent <= 0 for i in self.instalments):
                raise DomainError(
                    "INVALID_TERMS", "instalment shares must be positive", "instalments"
                )
            if sum(i.percent for i in self.instalments) != Decimal(100):
                raise DomainError(
                    "INVALID_TERMS", "instalment shares must add up to 100", "instalments"
                )
            offsets = [i.offset_days for i in self.instalments]
            if offsets != sorted(offsets) or offsets[0] < 0:
                raise DomainError(
                    "INVALID_TERMS", "instalment offsets must not decrease", "instalments"
                )


def schedule(terms: PaymentTerms, issue_date: date, amount_minor: int) -> list[tuple[date, int]]:
    """Due dates and amounts; the last instalment takes the rounding remainder."""
    if terms.kind == TermsKind.NET:
        return [(shift(issue_date, terms.net_days), amount_minor)]
    if terms.kind == TermsKind.END_OF_MONTH:
        last = calendar.monthrange(issue_date.year, issue_date.month)[1]
        end = issue_date.replace(day=last)
        return [(shift(end, terms.eom_plus_days), amount_minor)]
    lines: list[tuple[date, int]] = []
    allotted = 0
    for n, part in enumerate(terms.instalments):
        due = shift(issue_date, part.offset_days)
        if n == len(terms.instalments) - 1:
            share = amount_minor - allotted
        else:
            share = int((Decimal(amount_minor) * part.percent / 100).to_integral_value(ROUND_DOWN))
        allotted += share
        lines.append((due, share))
    return lines


def due_date(terms: PaymentTerms, issue_date: date) -> date:
    """The final due date."""
    return schedule(terms, issue_date, 100)[-1][0]


#: Source practice: class A gets generous terms (60 days), B standard (30), C short terms with
#: close tracking (15), D trades cash before delivery (0).
DEFAULT_CLASS_TERMS: dict[str, PaymentTerms] = {
    "A": PaymentTerms(TermsKind.NET, net_days=60),
    "B": PaymentTerms(TermsKind.NET, net_days=30),
    "C": PaymentTerms(TermsKind.NET, net_days=15),
    "D": PaymentTerms(TermsKind.NET, net_days=0),
}

#: Customers without a class or agreed terms get the practice's standard class B terms.
FALLBACK_CLASS = "B"


def class_code(rating_class: str) -> str:
    """The template code that replaces a rating class's default terms in a tenant."""
    return f"CLASS_{rating_class}"


def applicable_terms(
    templates: Mapping[str, PaymentTerms], terms_code: str | None, rating_class: str | None
) -> PaymentTerms:
    """A customer's terms: its agreed template, else the tenant's template for its class,
    else the practice's default for the class (class B when it has none)."""
    if terms_code and terms_code in templates:
        return templates[terms_code]
    rating = rating_class or FALLBACK_CLASS
    return templates.get(class_code(rating), DEFAULT_CLASS_TERMS[rating])
