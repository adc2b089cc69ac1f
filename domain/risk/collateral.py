"""Collateral: a pledge (质押) or mortgage (抵押) of an asset, its haircut and coverage value.

Seed 002 names equipment mortgages for manufacturers (制造业可以考虑设备抵押等担保方式) and
pledged receivables (应收账款质押); which asset may carry which form follows the PRC Civil
Code: real property and equipment are mortgaged (art. 395), movables and rights such as
receivables and deposits are pledged (arts. 425, 440); equipment and inventory may be either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from domain.errors import DomainError
from domain.money import Money
from domain.risk.guarantees import months_after


class Form(StrEnum):
    """How the asset secures the debt."""

    PLEDGE = "PLEDGE"  #: 质押: the asset or right is delivered or registered to us
    MORTGAGE = "MORTGAGE"  #: 抵押: the owner keeps it; the charge is registered


class AssetKind(StrEnum):
    """What secures the debt."""

    EQUIPMENT = "EQUIPMENT"
    PROPERTY = "PROPERTY"
    RECEIVABLES = "RECEIVABLES"
    INVENTORY = "INVENTORY"
    DEPOSIT = "DEPOSIT"


#: Which form each asset may take (Civil Code arts. 395, 425, 440: immovables are mortgaged,
#: rights and deposits pledged, movable equipment and inventory either).
FORMS: dict[AssetKind, frozenset[Form]] = {
    AssetKind.PROPERTY: frozenset({Form.MORTGAGE}),
    AssetKind.EQUIPMENT: frozenset({Form.MORTGAGE, Form.PLEDGE}),
    AssetKind.INVENTORY: frozenset({Form.MORTGAGE, Form.PLEDGE}),
    AssetKind.RECEIVABLES: frozenset({Form.PLEDGE}),
    AssetKind.DEPOSIT: frozenset({Form.PLEDGE}),
}

#: platform defaults, months between appraisals: property and equipment yearly (the usual
#: bank practice), inventory half-yearly (it turns over), pledged receivables quarterly (they
#: are paid off and replaced); a cash deposit keeps its value and needs none.
REAPPRAISAL_MONTHS: dict[AssetKind, int | None] = {
    AssetKind.PROPERTY: 12,
    AssetKind.EQUIPMENT: 12,
    AssetKind.INVENTORY: 6,
    AssetKind.RECEIVABLES: 3,
    AssetKind.DEPOSIT: None,
}
#: platform default: warn 30 days before a re-appraisal falls due, as for guarantee expiry.
REAPPRAISAL_WARNING_DAYS = 30
#: A haircut is a percentage with at most two decimals (12.5 % is 12.50).
HAIRCUT_PLACES = 2
HUNDRED = Decimal(100)


class Status(StrEnum):
    """A collateral secures until it is released (returned or the charge discharged)."""

    ACTIVE = "ACTIVE"
    RELEASED = "RELEASED"


def check_form(form: Form, asset: AssetKind, field: str = "form") -> None:
    """FORM_NOT_FOR_ASSET when the law does not allow that form on that asset."""
    if form not in FORMS[asset]:
        allowed = " or ".join(sorted(FORMS[asset]))
        raise DomainError("FORM_NOT_FOR_ASSET", f"{asset} is secured by {allowed}", field)


def parse_haircut(text: str, field: str = "haircutPercent") -> Decimal:
    """A haircut percentage: a plain decimal from 0 to 100 with at most two decimals."""
    raw = (text or "").strip()
    try:
        value = Decimal(raw)
    except ArithmeticError:
        value = Decimal("NaN")
    if not value.is_finite() or "e" in raw.lower():
        raise DomainError("INVALID_HAIRCUT", f"{text!r} is not a plain decimal number", field)
    if not 0 <= value <= HUNDRED:
        raise DomainError("INVALID_HAIRCUT", "a haircut lies between 0 and 100 %", field)
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > HAIRCUT_PLACES:
        raise DomainError("INVALID_HAIRCUT", f"at most {HAIRCUT_PLACES} decimals", field)
    return value


def coverage_value(appraised: Money, haircut_percent: Decimal) -> Money:
    """Appraised value x (1 - haircut), rounded down to the minor unit: never more cover
    than the asset is worth after its haircut."""
    kept = (Decimal(appraised.minor) * (HUNDRED - haircut_percent) / HUNDRED).to_integral_value(
        ROUND_DOWN
    )
    return Money(int(kept), appraised.currency)


def reappraisal_due_on(appraised_on: date, months: int | None) -> date | None:
    """When the next appraisal is due (None: the asset needs none)."""
    return None if months is None else months_after(appraised_on, months)


@dataclass(frozen=True, slots=True)
class ReappraisalState:
    """Whether a collateral's appraisal is due soon or overdue on a day."""

    due_on: date
    overdue: bool


def reappraisal(
    appraised_on: date, months: int | None, as_of: date, warning_days: int
) -> ReappraisalState | None:
    """The re-appraisal to warn about on `as_of` (None: not yet within the warning days)."""
    due = reappraisal_due_on(appraised_on, months)
    if due is None or as_of < due - timedelta(days=warning_days):
        return None
    return ReappraisalState(due, as_of > due)
