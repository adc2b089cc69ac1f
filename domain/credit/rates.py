"""Exchange rates finance keeps by date: the only bridge between amounts in two currencies.

A rate says how many units of `quote` one unit of `base` buys on and after its effective
date. A conversion uses the newest rate of the pair (or of the reverse pair, divided) on or
before the as-of date, rounds half to even to the target's minor units, and remembers which
rate and date it used, so every converted figure can say where it came from.

Without a direct pair (or its reverse) a book that knows the tenant's base currency crosses
through it: source -> base -> target, each leg the newest rate on or before the date, and the
conversion names both legs. A book without a base (a decision logged before crossing) never
crosses, so it replays as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from dataclasses import field as _field
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
    #: the tenant's base currency the book holding this rate may cross through (RateBook.of
    #: stamps it), so a decision snapshot's rates carry what its replay needs to cross; None
    #: for a book that never crosses (every snapshot logged before crossing)
    cross_base: str | None = _field(default=None, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The rate as a decision snapshot stores it (the rate as an exact string); the base
        a book may cross through only when it may (snapshots before crossing never had it)."""
        found = {
            "id": self.id,
            "base": self.base,
            "quote": self.quote,
            "rate": format(self.rate, "f"),
            "effectiveOn": self.effective_on.isoformat(),
        }
        if self.cross_base is not None:
            found["crossBase"] = self.cross_base
        return found

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> ExchangeRate:
        """Inverse of to_json."""
        cross = raw.get("crossBase")
        return cls(
            str(raw["id"]),
            str(raw["base"]),
            str(raw["quote"]),
            Decimal(str(raw["rate"])),
            date.fromisoformat(str(raw["effectiveOn"])),
            str(cross) if cross else None,
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
    if inverse:
        return _converted(minor, source, target, (), (rate,))
    return _converted(minor, source, target, (rate,), ())


def _converted(
    minor: int, source: str, target: str, times: tuple[Decimal, ...], over: tuple[Decimal, ...]
) -> int:
    """`minor` units of `source` multiplied by every rate in `times` and divided by every one
    in `over`, in one step at 60 digits, rounded once (half to even) to `target`'s minor units."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        major = Decimal(minor).scaleb(-minor_units(source))
        numerator = major
        for factor in times:
            numerator *= factor
        denominator = Decimal(1)
        for factor in over:
            denominator *= factor
        converted = numerator / denominator if over else numerator
        scaled = converted.scaleb(minor_units(target))
        return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


@dataclass(frozen=True, slots=True)
class Leg:
    """One rate a conversion used, from `source` to `target` (inverse: the stored pair runs
    target -> source and was divided by)."""

    source: str
    target: str
    rate: ExchangeRate
    inverse: bool

    def flipped(self) -> Leg:
        """The same rate used the other way."""
        return Leg(self.target, self.source, self.rate, not self.inverse)

    def to_json(self) -> dict[str, Any]:
        """The leg with its rate's id, pair, value and date."""
        return {
            "source": self.source,
            "target": self.target,
            "rateId": self.rate.id,
            "pair": f"{self.rate.base}/{self.rate.quote}",
            "rate": format(self.rate.rate, "f"),
            "rateDate": self.rate.effective_on.isoformat(),
            "inverse": self.inverse,
        }


def apply_legs(minor: int, legs: tuple[Leg, ...]) -> int:
    """`minor` units through the legs (source of the first to target of the last): the exact
    product of the rates (a reversed leg divides), applied in one step and rounded once, half
    to even as apply_rate rounds, so a cross never rounds in the intermediate currency."""
    times = tuple(leg.rate.rate for leg in legs if not leg.inverse)
    over = tuple(leg.rate.rate for leg in legs if leg.inverse)
    return _converted(minor, legs[0].source, legs[-1].target, times, over)


@dataclass(frozen=True, slots=True)
class Conversion:
    """A converted figure and where it came from (no rate when the currencies agree).

    A direct conversion names its `rate` (and `inverse`); a crossed one has no single rate:
    `legs` names both (source -> base, base -> target), and `rate` is None."""

    source: Money
    amount: Money
    rate: ExchangeRate | None = None
    inverse: bool = False
    legs: tuple[Leg, ...] = ()

    @property
    def via(self) -> str | None:
        """The currency a crossed conversion went through (None when direct)."""
        return self.legs[0].target if len(self.legs) > 1 else None

    def used(self) -> tuple[Leg, ...]:
        """Every rate the conversion used: its legs, its one rate, or none."""
        if self.legs:
            return self.legs
        if self.rate is None:
            return ()
        return (Leg(self.source.currency, self.amount.currency, self.rate, self.inverse),)

    def to_json(self) -> dict[str, Any]:
        """The figure with its rate's id, pair, value and date; a crossed one with `via` and
        its `legs` (absent for a direct one, as in every outcome logged before crossing)."""
        found: dict[str, Any] = {
            "source": {"minor": self.source.minor, "currency": self.source.currency},
            "amount": {"minor": self.amount.minor, "currency": self.amount.currency},
            "rateId": self.rate.id if self.rate else None,
            "rate": format(self.rate.rate, "f") if self.rate else None,
            "rateDate": self.rate.effective_on.isoformat() if self.rate else None,
            "inverse": self.inverse,
        }
        if self.legs:
            found["via"] = self.via
            found["legs"] = [leg.to_json() for leg in self.legs]
        return found


def _of(money: Money, target: str, legs: tuple[Leg, ...]) -> Conversion:
    """A conversion of `money` through `legs`: one leg is a direct conversion."""
    minor = apply_legs(money.minor, legs)
    if len(legs) == 1:
        return Conversion(money, Money(minor, target), legs[0].rate, legs[0].inverse)
    return Conversion(money, Money(minor, target), legs=legs)


@dataclass(frozen=True)
class RateBook:
    """The rates a computation may use, as of one date; refuses a conversion it cannot make.

    `base`: the tenant's base currency a conversion with no direct pair crosses through
    (None: never crosses)."""

    as_of: date
    rates: tuple[ExchangeRate, ...] = ()
    base: str | None = None

    @classmethod
    def of(cls, as_of: date, rates: Iterable[ExchangeRate], base: str | None = None) -> RateBook:
        """A book over the given rates (those after `as_of` are ignored). With `base`, the
        book crosses through it and stamps its rates with it (so a snapshot of them carries
        it); without, it crosses through the base its rates all carry, if they do."""
        kept = tuple(r for r in rates if r.effective_on <= as_of)
        if base is None:
            stamps = {r.cross_base for r in kept}
            base = stamps.pop() if len(stamps) == 1 else None
        if base is not None:
            kept = tuple(r if r.cross_base == base else replace(r, cross_base=base) for r in kept)
        return cls(as_of, kept, base)

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

    def route(self, source: str, target: str) -> tuple[Leg, ...] | None:
        """The rates a conversion source -> target uses: none for one currency, the direct
        pair (or its reverse) whenever the book has it, else both legs through the base; None
        when neither is there."""
        if source == target:
            return ()
        if (direct := self.find(source, target)) is not None:
            return (Leg(source, target, *direct),)
        base = self.base
        if base is None or base in (source, target):
            return None
        first, second = self.find(source, base), self.find(base, target)
        if first is None or second is None:
            return None
        return (Leg(source, base, *first), Leg(base, target, *second))

    def convert(self, money: Money, target: str, field: str | None = None) -> Conversion:
        """`money` in `target`; NO_EXCHANGE_RATE when the book has no rate for the pair."""
        converted = self.try_convert(money, target)
        if converted is None:
            raise self.missing(money.currency, target, field)
        return converted

    def try_convert(self, money: Money, target: str) -> Conversion | None:
        """`money` in `target`, or None when the book has no rate for the pair (nor both
        legs through the base)."""
        legs = self.route(money.currency, target)
        if legs is None:
            return None
        return _of(money, target, legs) if legs else Conversion(money, money)

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
        with the rates that gave it (none needed for a cap not above zero or in `currency`);
        None when the book has no rate for the pair."""
        if cap.minor <= 0:
            return Conversion(cap, Money(0, currency))
        if cap.currency == currency:
            return Conversion(cap, cap)
        legs = self.route(currency, cap.currency)
        if legs is None:
            return None
        back = tuple(leg.flipped() for leg in reversed(legs))

        def fits(minor: int) -> bool:
            return apply_legs(minor, legs) <= cap.minor

        # conversion is monotone: bracket the answer from the inverse estimate, then bisect
        low = 0
        high = apply_legs(cap.minor, back) + 1
        while fits(high):
            low, high = high, high * 2
        while high - low > 1:
            middle = (low + high) // 2
            if fits(middle):
                low = middle
            else:
                high = middle
        # the cap goes into `currency`: each stored pair is used as it is when it runs that way
        if len(back) == 1:
            return Conversion(cap, Money(low, currency), back[0].rate, back[0].inverse)
        return Conversion(cap, Money(low, currency), legs=back)

    def used(self) -> list[dict[str, Any]]:
        """The rates in the book, for a snapshot."""
        return [r.to_json() for r in self.rates]
