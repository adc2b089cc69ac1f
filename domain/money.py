"""Money as integer minor units plus an ISO 4217 code: exact, never a float."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from domain.currencies import is_currency, minor_units
from domain.errors import DomainError


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount: `minor` units of `currency` (cents for USD, fen for CNY)."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.minor, bool) or not isinstance(self.minor, int):
            raise TypeError("Money.minor must be an int")
        if not is_currency(self.currency):
            raise DomainError("UNKNOWN_CURRENCY", f"unknown currency {self.currency!r}")

    @classmethod
    def parse(cls, amount: str, currency: str, field: str = "amount") -> Money:
        """Parse a decimal string; refuse floats' cousins: exponents, excess digits, NaN."""
        if isinstance(amount, float):
            raise TypeError("money amounts are decimal strings, never floats")
        code = (currency or "").strip()
        if not is_currency(code):
            raise DomainError(
                "UNKNOWN_CURRENCY",
                f"{currency!r} is not an ISO 4217 currency code",
                f"{field}.currency",
            )
        text = (amount or "").strip()
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise DomainError(
                "INVALID_AMOUNT", f"{amount!r} is not a decimal number", f"{field}.amount"
            ) from None
        if not value.is_finite() or "e" in text.lower():
            raise DomainError(
                "INVALID_AMOUNT", f"{amount!r} is not a plain decimal number", f"{field}.amount"
            )
        digits = minor_units(code)
        scaled = value.scaleb(digits)
        if scaled != scaled.to_integral_value():
            raise DomainError(
                "INVALID_AMOUNT",
                f"{code} takes at most {digits} decimal places",
                f"{field}.amount",
            )
        minor = int(scaled)
        if abs(minor) >= 2**63:
            raise DomainError("INVALID_AMOUNT", "amount is out of range", f"{field}.amount")
        return cls(minor, code)

    def to_decimal_string(self) -> str:
        """The amount as a plain decimal string with the currency's minor digits."""
        digits = minor_units(self.currency)
        value = Decimal(self.minor).scaleb(-digits)
        return f"{value:.{digits}f}"

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise DomainError(
                "CURRENCY_MISMATCH", f"cannot combine {self.currency} with {other.currency}"
            )

    @property
    def is_negative(self) -> bool:
        """True below zero."""
        return self.minor < 0


def totals(amounts: Iterable[Money]) -> dict[str, Money]:
    """The exact sum per currency; amounts in different currencies are never added."""
    sums: dict[str, int] = {}
    for money in amounts:
        sums[money.currency] = sums.get(money.currency, 0) + money.minor
    return {currency: Money(minor, currency) for currency, minor in sorted(sums.items())}
