"""How a check's figures are written into the decision log (compared field by field on
replay, so a key appears only where its rules version or its content calls for it)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.credit.exposure import Standing
from domain.credit.rates import Conversion
from domain.money import Money


def money_json(value: Money | None) -> dict[str, Any] | None:
    """An amount as minor units and currency."""
    return None if value is None else {"minor": value.minor, "currency": value.currency}


def decimal_json(value: Decimal | None) -> str | None:
    """A ratio as an exact string."""
    return None if value is None else str(value)


def conversion_json(value: Conversion | None) -> dict[str, Any] | None:
    """A converted figure with its rate's id, value and date."""
    return None if value is None else value.to_json()


def standing_json(value: Standing | None) -> dict[str, Any] | None:
    """A standing; `unconverted` only when a rate was missing (decisions logged before a
    missing rate could be answered never have it, and replay as they were)."""
    if value is None:
        return None
    exposure = value.exposure
    found = {
        "standard": money_json(value.standard),
        "limit": money_json(value.limit),
        "increases": [c.to_json() for c in value.increases],
        "exposure": {
            "currency": exposure.currency,
            "receivables": [c.to_json() for c in exposure.receivables],
            "orders": [c.to_json() for c in exposure.orders],
            "reservations": [c.to_json() for c in exposure.reservations],
            "total": money_json(exposure.total),
        },
        "headroom": money_json(value.headroom),
        "utilisation": decimal_json(value.utilisation),
    }
    if value.unconverted:
        found["unconverted"] = [u.to_json() for u in value.unconverted]
    return found
