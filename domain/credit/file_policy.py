"""The tenant's credit-file completeness policy and review interval, as a manager sets them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.credit_file import RequiredItem, policy_key
from domain.errors import DomainError, ValidationFailed

MAX_ITEMS = 40  #: items one checklist lists
MAX_KEY = 64  #: an item's key (texts.CODE) (a customer field or a dossier entry kind)
MAX_AGE_DAYS = 3650  #: ten years: anything older is never fresh
MAX_INTERVAL_DAYS = 3650  #: a review at least every ten years


@dataclass(frozen=True)
class ItemIn:
    """One required item as the API received it."""

    key: str
    max_age_days: int | None = None


def check_items(items: Sequence[ItemIn]) -> tuple[RequiredItem, ...]:
    """Every problem of a checklist at once (ValidationFailed), else its items."""
    errors: list[DomainError] = []
    if len(items) > MAX_ITEMS:
        errors.append(DomainError("TOO_MANY", f"at most {MAX_ITEMS} items", "items"))
    seen: set[str] = set()
    out = []
    for n, item in enumerate(items):
        key = policy_key(item.key)
        if not key:
            errors.append(
                DomainError("REQUIRED", "an item names what it requires", f"items.{n}.key")
            )
        elif len(key) > MAX_KEY:
            errors.append(
                DomainError("TOO_LONG", f"at most {MAX_KEY} characters", f"items.{n}.key")
            )
        elif key in seen:
            errors.append(DomainError("INVALID_INPUT", "an item is listed twice", f"items.{n}.key"))
        seen.add(key)
        age = item.max_age_days
        if age is not None and not 1 <= age <= MAX_AGE_DAYS:
            field = f"items.{n}.maxAgeDays"
            errors.append(DomainError("INVALID_INPUT", f"1 to {MAX_AGE_DAYS} days", field))
        out.append(RequiredItem(key, age))
    if errors:
        raise ValidationFailed(errors)
    return tuple(out)


def check_interval(days: int) -> int:
    """A review interval of 1 day to ten years."""
    if not 1 <= days <= MAX_INTERVAL_DAYS:
        raise DomainError("INVALID_INPUT", f"1 to {MAX_INTERVAL_DAYS} days", "reviewIntervalDays")
    return days
