"""Input checks shared by insurance and factoring: percentages, day counts, texts, rounding.

Percentages and rates stay exact decimals; money stays integer minor units. Each check names
the input field it refuses, so a form can show every problem at once.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, TypeVar

from domain.errors import DomainError

T = TypeVar("T")

PERCENT_MAX = Decimal(100)  #: a share of something is at most all of it
PERCENT_PLACES = 4  #: 12.3456%: finer than any policy or agreement prints
NAME_MAX = 200  #: an insurer's or factor's name
REFERENCE_MAX = 100  #: a policy or agreement number
TEXT_MAX = 500  #: a note, a description, a reason
DAYS_MAX = 3650  #: ten years: no credit period, deadline or window runs longer


def attempt(errors: list[DomainError], check: Callable[..., T], *args: Any) -> T | None:
    """Run one check; a refusal joins the others instead of stopping the rest."""
    try:
        return check(*args)
    except DomainError as exc:
        errors.append(exc)
        return None


def parse_percent(value: str, field: str, maximum: Decimal = PERCENT_MAX) -> Decimal:
    """A percentage from 0 to `maximum` written as a decimal string ("90", "0.35")."""
    try:
        number = Decimal((value or "").strip())
    except (InvalidOperation, AttributeError, TypeError):
        raise DomainError(
            "INVALID_PERCENT", "a decimal percentage such as 90 or 0.35", field
        ) from None
    exponent = number.as_tuple().exponent
    if not number.is_finite() or not isinstance(exponent, int):
        raise DomainError("INVALID_PERCENT", "a finite decimal percentage", field)
    if number < 0 or number > maximum:
        raise DomainError("INVALID_PERCENT", f"a percentage from 0 to {maximum}", field)
    if exponent < -PERCENT_PLACES:
        raise DomainError("INVALID_PERCENT", f"at most {PERCENT_PLACES} decimal places", field)
    return number


def check_days(value: int, field: str, minimum: int = 0) -> int:
    """A number of days within the platform's range."""
    if value < minimum or value > DAYS_MAX:
        raise DomainError("INVALID_INPUT", f"a number of days from {minimum} to {DAYS_MAX}", field)
    return value


def check_text(value: str | None, field: str, limit: int, required: bool = False) -> str | None:
    """A trimmed text within its limit; blank is None (or REQUIRED)."""
    text = (value or "").strip() or None
    if text is None:
        if required:
            raise DomainError("REQUIRED", "must not be blank", field)
        return None
    if len(text) > limit:
        raise DomainError("TOO_LONG", f"at most {limit} characters", field)
    return text


def share_down(amount_minor: int, percent: Decimal) -> int:
    """`percent` of an amount, rounded down to a whole minor unit (never more than the share)."""
    return int((Decimal(amount_minor) * percent / PERCENT_MAX).to_integral_value(ROUND_DOWN))


def share_half_up(amount_minor: int, percent: Decimal) -> int:
    """`percent` of an amount, rounded half up to a whole minor unit (fees, premiums)."""
    return int((Decimal(amount_minor) * percent / PERCENT_MAX).to_integral_value(ROUND_HALF_UP))
