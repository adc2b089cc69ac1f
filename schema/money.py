"""Money at the API: decimal strings with an ISO 4217 code; floats are refused at the edge."""

from __future__ import annotations

from typing import Any, NewType

import strawberry

from domain import texts
from domain.money import Money as DomainMoney
from schema.input_rules import text


def _parse_decimal(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError('Decimal values are strings such as "1234.50", never JSON numbers')
    return value


DecimalString = strawberry.scalar(
    NewType("DecimalString", str),
    name="Decimal",
    description='An exact decimal number written as a string, e.g. "1234.50": an optional '
    "sign, ASCII digits and at most one point (no spaces, underscores, exponents, NaN or "
    "other scripts' digits), at most 40 characters.",
    serialize=str,
    parse_value=_parse_decimal,
)


@strawberry.type(description="An exact amount of money.")
class Money:
    amount: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description='Decimal string with the currency\'s minor digits, e.g. "1234.50".'
    )
    currency: str = strawberry.field(description="ISO 4217 currency code, e.g. CNY.")

    @classmethod
    def of(cls, minor: int, currency: str) -> Money:
        """From stored minor units that are never null (amounts, totals, balances)."""
        value = DomainMoney(int(minor), currency.strip())
        return cls(amount=value.to_decimal_string(), currency=value.currency)

    @classmethod
    def from_minor(cls, minor: int | None, currency: str | None) -> Money | None:
        """From stored minor units (None stays None)."""
        if minor is None or currency is None:
            return None
        value = DomainMoney(int(minor), currency.strip())
        return cls(amount=value.to_decimal_string(), currency=value.currency)


@strawberry.input(description="An exact amount of money as input.")
class MoneyInput:
    amount: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Decimal string: an optional sign, ASCII digits and at most one point, "
        "with at most the currency's minor digits (no spaces, exponents or other digits)."
    )
    currency: str = text("ISO 4217 currency code.", texts.CURRENCY)
