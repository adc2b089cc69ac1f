"""Exchange rates finance keeps by date: the only bridge between amounts in two currencies.

A rate says how many units of `quote` one unit of `base` buys on and after its effective
date. A conversion uses the newest rate of the pair (or of the reverse pair, divided) on or
before the as-of date, rounds half to even to the target's minor units, and remembers which
rate and date it used, so every converted figure can say where it came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext
from typing import Any

from domain.credit.bounds import date_error
from domain.currencies import is_currency, minor_units
from domain.errors import DomainError, ValidationFailed
from domain.money import Money

#: Rates are kept to 12 decimal places (NUMERIC(28, 12)): enough for JPY per KWD and back.
RATE_SCALE = 12
#: At most 16 digits before the point, so a rate always fits its column.
RATE_INTEGER_DIGITS = 16
#: Working precision for conversions: far beyond any amount times any rate.
_PRECISION = 60


def parse_rate(text: str, field: str = "rate") -> Decimal:
    """An exact positive decimal with at most 12 places; exponents and floats' cousins refused."""
    raw = (text or "").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise DomainError("INVALID_RATE", f"{text!r} is not a decimal number", field) from None
    if not value.is_finite() or "e" in raw.lower():
        raise DomainError("INVALID_RATE", f"{text!r} is not a plain decimal number", field)
    if value <= 0:
        raise DomainError("INVALID_RATE", "a rate must be above zero", field)
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if -exponent > RATE_SCALE:
        raise DomainError("INVALID_RATE", f"at most {RATE_SCALE} decimal places", field)
    if value.adjusted() >= RATE_INTEGER_DIGITS:
        raise DomainError("INVALID_RATE", "rate is out of range", field)
    return value


def plain(rate: Decimal) -> Decimal:
    """A stored rate without the column's trailing zeros (7.100000000000 reads 7.1)."""
    value = rate.normalize()
    exponent = value.as_tuple().exponent
    return value.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else value


@dataclass(frozen=True, slots=True)
class ExchangeRate:
    """One stored rate: 1 `base` = `rate` `quote` from `effective_on` on."""

    id: str
    base: str
    quote: str
    rate: Decimal
    effective_on: date

    def to_json(self) -> dict[str, Any]:
        """The rate as a decision snapshot stores it (the rate as an exact string)."""
        return {
            "id": self.id,
            "base": self.base,
            "quote": self.quote,
            "rate": format(self.rate, "f"),
            "effectiveOn": self.effective_on.isoformat(),
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> ExchangeRate:
        """Inverse of to_json."""
        return cls(
            str(raw["id"]),
            str(raw["base"]),
            str(raw["quote"]),
            Decimal(str(raw["rate"])),
            date.fromisoformat(str(raw["effectiveOn"])),
        )


def validate_rate(base: str, quote: str, rate: str, effective_on: date) -> Decimal:
    """Check a rate finance enters; every problem at once."""
    errors: list[DomainError] = []
    for code, field in ((base, "base"), (quote, "quote")):
        if not is_currency(code):
            errors.append(DomainError("UNKNOWN_CURRENCY", f"{code!r} is not ISO 4217", field))
    if base == quote:
        errors.append(DomainError("SAME_CURRENCY", "a rate needs two currencies", "quote"))
    value = Decimal(0)
    try:
        value = parse_rate(rate)
    except DomainError as exc:
        errors.append(exc)
    if (bad := date_error(effective_on, "effectiveOn")) is not None:
        errors.append(bad)
    if errors:
        raise ValidationFailed(errors)
    return value


def apply_rate(minor: int, source: str, target: str, rate: Decimal, inverse: bool) -> int:
    """`minor` units of `source` in minor units of `target`, rounded half to even."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        major = Decimal(minor).scaleb(-minor_units(source))
        converted = major / rate if inverse else major * rate
        scaled = converted.scaleb(minor_units(target))
        return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


@dataclass(frozen=True, slots=True)
class Conversion:
    """A converted figure and where it came from (no rate when the currencies agree)."""

    source: Money
    amount: Money
    rate: ExchangeRate | None = None
    inverse: bool = False

    def to_json(self) -> dict[str, Any]:
        """The figure with its rate's id, pair, value and date."""
        return {
            "source": {"minor": self.source.minor, "currency": self.source.currency},
            "amount": {"minor": self.amount.minor, "currency": self.amount.currency},
            "rateId": self.rate.id if self.rate else None,
            "rate": format(self.rate.rate, "f") if self.rate else None,
            "rateDate": self.rate.effective_on.isoformat() if self.rate else None,
            "inverse": self.inverse,
        }


@dataclass(frozen=True)
class RateBook:
    """The rates a computation may use, as of one date; refuses a conversion it cannot make."""

    as_of: date
    rates: tuple[ExchangeRate, ...] = ()

    @classmethod
    def of(cls, as_of: date, rates: Iterable[ExchangeRate]) -> RateBook:
        """A book over the given rates (those after `as_of` are ignored)."""
        return cls(as_of, tuple(r for r in rates if r.effective_on <= as_of))

    def find(self, source: str, target: str) -> tuple[ExchangeRate, bool] | None:
        """The newest usable rate for source -> target and whether it is used inverted;
        on equal dates the direct pair wins, then the later entry (newer record)."""
        best: tuple[ExchangeRate, bool] | None = None
        for rate in self.rates:
            if (rate.base, rate.quote) == (source, target):
                candidate = (rate, False)
            elif (rate.base, rate.quote) == (target, source):
                candidate = (rate, True)
            else:
                continue
            if best is None or (rate.effective_on, not candidate[1]) >= (
                best[0].effective_on,
                not best[1],
            ):
                best = candidate
        return best

    def convert(self, money: Money, target: str, field: str | None = None) -> Conversion:
        """`money` in `target`; NO_EXCHANGE_RATE when the book has no rate for the pair."""
        converted = self.try_convert(money, target)
        if converted is None:
            raise self.missing(money.currency, target, field)
        return converted

    def try_convert(self, money: Money, target: str) -> Conversion | None:
        """`money` in `target`, or None when the book has no rate for the pair."""
        if money.currency == target:
            return Conversion(money, money)
        found = self.find(money.currency, target)
        if found is None:
            return None
        rate, inverse = found
        minor = apply_rate(money.minor, money.currency, target, rate.rate, inverse)
        return Conversion(money, Money(minor, target), rate, inverse)

    def missing(self, source: str, target: str, field: str | None = None) -> DomainError:
        """The refusal for a pair the book cannot convert, naming the pair and the date."""
        return DomainError(
            "NO_EXCHANGE_RATE",
            f"no {source}/{target} exchange rate on or before {self.as_of}",
            field,
        )

    def largest_within(self, cap: Money, currency: str, field: str | None = None) -> Money:
        """The largest amount in `currency` whose conversion to the cap's currency stays
        within `cap` (zero when the cap is not positive)."""
        within = self.within(cap, currency)
        if within is None:
            raise self.missing(currency, cap.currency, field)
        return within.amount

    def within(self, cap: Money, currency: str) -> Conversion | None:
        """`cap` as the largest amount in `currency` whose conversion back stays within it,
        with the rate that gave it (none needed for a cap not above zero or in `currency`);
        None when the book has no rate for the pair."""
        if cap.minor <= 0:
            return Conversion(cap, Money(0, currency))
        if cap.currency == currency:
            return Conversion(cap, cap)
        found = self.find(currency, cap.currency)
        if found is None:
            return None
        rate, inverse = found

        def fits(minor: int) -> bool:
            return apply_rate(minor, currency, cap.currency, rate.rate, inverse) <= cap.minor

        # conversion is monotone: bracket the answer from the inverse estimate, then bisect
        low = 0
        high = apply_rate(cap.minor, cap.currency, currency, rate.rate, not inverse) + 1
        while fits(high):
            low, high = high, high * 2
        while high - low > 1:
            middle = (low + high) // 2
            if fits(middle):
                low = middle
            else:
                high = middle
        # the cap goes into `currency`: the stored pair is used as it is when it runs that way
        return Conversion(cap, Money(low, currency), rate, not inverse)

    def used(self) -> list[dict[str, Any]]:
        """The rates in the book, for a snapshot."""
        return [r.to_json() for r in self.rates]
