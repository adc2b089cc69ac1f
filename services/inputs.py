"""Values services accept as the API received them: parsed and checked by the domain."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MoneyIn:
    """A decimal string and a currency code, as the API received them."""

    amount: str
    currency: str
