"""Money as integer minor units plus an ISO 4217 code: exact, never a float."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from domain.currencies import is_currency, minor_units
from domain.errors import DomainError

#: The largest amount one document (invoice, payment, credit note, promise, plan instalment,
#: recovery) may carry, in minor units: 10 trillion CNY or USD, 1 trillion KWD. Sums of
#: thousands of such documents still fit a BIGINT and every NUMERIC total. A tenant may set a
#: lower maximum in its receivables policy; the database CHECKs this ceiling.
MAX_DOCUMENT_MINOR = 10**15
#: A decimal as text: an optional sign, ASCII digits and at most one point. Nothing else:
#: no spaces, underscores, exponents, other scripts' digits, NaN or Infinity.
DECIMAL_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
DECIMAL_MAX_CHARS = 40  #: a longer decimal text is a mistake or an attack, never an amount


def parse_decimal(text: object, field: str, code: str = "INVALID_AMOUNT") -> Decimal:
    """A decimal from text written the one plain way (see DECIMAL_TEXT), else `code` on the
    field: amounts, rates and percentages are all parsed here."""
    if isinstance(text, float):
        raise TypeError("decimal values are strings, never floats")
    if (
        not isinstance(text, str)
        or len(text) > DECIMAL_MAX_CHARS
        or not DECIMAL_TEXT.fullmatch(text)
    ):
        raise DomainError(code, f"{str(text)[:DECIMAL_MAX_CHARS]!r} is not a plain decimal", field)
    return Decimal(text)


def decimal_string(minor: int, currency: str) -> str:
    """Minor units as a plain decimal string with the currency's minor digits ("1250.00"),
    in integer arithmetic: a payment import writes thousands of these."""
    digits = minor_units(currency)
    sign = "-" if minor < 0 else ""
    whole, part = divmod(abs(minor), 10**digits)
    return f"{sign}{whole}.{part:0{digits}d}" if digits else f"{sign}{whole}"


def _too_large(largest_minor: int, currency: str, field: str) -> DomainError:
    """AMOUNT_TOO_LARGE naming the largest amount allowed."""
    largest = decimal_string(largest_minor, currency)
    return DomainError("AMOUNT_TOO_LARGE", f"at most {largest} {currency} per document", field)


def check_document_amount(money: Money, maximum: int, field: str) -> Money:
    """The amount of one document, or AMOUNT_TOO_LARGE above the tenant's maximum."""
    if abs(money.minor) > min(maximum, MAX_DOCUMENT_MINOR):
        raise _too_large(min(maximum, MAX_DOCUMENT_MINOR), money.currency, field)
    return money


def document_amount_error(money: Money, field: str) -> DomainError | None:
    """AMOUNT_TOO_LARGE above the ceiling every job can carry (check_document_amount's, for a
    caller that gathers every problem before refusing), else None."""
    try:
        check_document_amount(money, MAX_DOCUMENT_MINOR, field)
    except DomainError as exc:
        return exc
    return None


def read_amount(
    amount: str, currency: str, field: str, errors: list[DomainError]
) -> Money | Decimal | None:
    """Money from an amount and its currency; in an unknown currency the bare decimal, still
    read so that a malformed or negative amount is reported beside the currency (all faults at
    once); None when the amount does not parse. Errors name `field`.currency / `field`.amount."""
    try:
        return Money.parse(amount, currency, field)
    except DomainError as exc:
        errors.append(exc)
        if exc.code != "UNKNOWN_CURRENCY":
            return None
    try:
        return parse_decimal(amount, f"{field}.amount")
    except DomainError as exc:
        errors.append(exc)
        return None


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
        """Parse a plain decimal string (parse_decimal); refuse excess digits and amounts no
        BIGINT holds (one above it is AMOUNT_TOO_LARGE naming the document ceiling, as one a
        cent above the ceiling is: the same fault whatever the size)."""
        if isinstance(amount, float):
            raise TypeError("money amounts are decimal strings, never floats")
        code = (currency or "").strip().upper() if isinstance(currency, str) else ""
        if not is_currency(code):
            raise DomainError(
                "UNKNOWN_CURRENCY",
                f"{str(currency)[:10]!r} is not an ISO 4217 currency code",
                f"{field}.currency",
            )
        value = parse_decimal(amount, f"{field}.amount")
        digits = minor_units(code)
        scaled = value.scaleb(digits)
        if scaled != scaled.to_integral_value():
            raise DomainError(
                "INVALID_AMOUNT",
                f"{code} takes at most {digits} decimal places",
                f"{field}.amount",
            )
        minor = int(scaled)
        if minor >= 2**63:  # above the document ceiling as much as one a cent above it
            raise _too_large(MAX_DOCUMENT_MINOR, code, f"{field}.amount")
        if minor <= -(2**63):
            raise DomainError("INVALID_AMOUNT", "amount is out of range", f"{field}.amount")
        return cls(minor, code)

    def to_decimal_string(self) -> str:
        """The amount as a plain decimal string with the currency's minor digits."""
        return decimal_string(self.minor, self.currency)

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
