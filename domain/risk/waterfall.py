"""The net retained risk: gross exposure less each kind of cover, layer by layer.

The order is the order in which a loss would be made good: a receivable sold without recourse
is no longer ours; the insurer pays its indemnity share; a guarantor pays what it promised,
weighted by how surely a claim succeeds (a bank pays on demand; a general guarantor may insist
the debtor is pursued first); last, the collateral is realised. Each line is capped by what is
left, so the net never falls below zero and no cover counts twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from domain.currencies import minor_units
from domain.errors import DomainError
from domain.money import Money
from domain.risk.guarantees import GuaranteeKind

HUNDRED = Decimal(100)


class Layer(StrEnum):
    """A step of the waterfall, in the order it is applied."""

    NON_RECOURSE = "NON_RECOURSE"  #: sold to a factor without recourse
    INSURED = "INSURED"  #: the insurer's indemnity share of insured open amounts
    GUARANTEE = "GUARANTEE"  #: a guarantee, weighted by its kind
    COLLATERAL = "COLLATERAL"  #: a pledge or mortgage at its coverage value


ORDER = (Layer.NON_RECOURSE, Layer.INSURED, Layer.GUARANTEE, Layer.COLLATERAL)

#: The issue's defaults: a bank guarantee and a standby LC pay on a complying demand (100 %);
#: a joint-and-several guarantor can be asked at once but may not pay (80 %); a general
#: guarantor may first make us pursue the debtor (一般保证 先诉抗辩权, art. 687) (50 %).
DEFAULT_WEIGHTS: dict[GuaranteeKind, Decimal] = {
    GuaranteeKind.BANK_GUARANTEE: Decimal(100),
    GuaranteeKind.STANDBY_LC: Decimal(100),
    GuaranteeKind.JOINT_AND_SEVERAL: Decimal(80),
    GuaranteeKind.GENERAL: Decimal(50),
}


class ExposureBasis(StrEnum):
    """What a tenant option compares or provisions against."""

    GROSS = "GROSS"  #: exposure before any cover (the platform's behaviour so far)
    NET = "NET"  #: the net retained risk after the waterfall


def parse_weights(raw: Mapping[str, str] | None, field: str = "guaranteeWeights") -> dict[
    GuaranteeKind, Decimal
]:  # fmt: skip
    """A tenant's weights per guarantee kind over the defaults; each 0-100, 2 decimals."""
    weights = dict(DEFAULT_WEIGHTS)
    for key, text in (raw or {}).items():
        try:
            kind = GuaranteeKind(key)
            value = Decimal(str(text))
        except (ValueError, ArithmeticError):
            raise DomainError("INVALID_WEIGHT", f"{key}: {text!r} is not a weight", field) from None
        exponent = value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) else 99
        if not value.is_finite() or not 0 <= value <= HUNDRED or places > 2:
            raise DomainError("INVALID_WEIGHT", "a weight is 0-100 with 2 decimals at most", field)
        weights[kind] = value
    return weights


@dataclass(frozen=True, slots=True)
class Cover:
    """One thing that reduces the risk we carry, already in the waterfall's currency."""

    layer: Layer
    ref: str | None  #: the guarantee or collateral id; None for a summed layer
    label: str  #: what it is, as a credit manager would name it
    offered_minor: int  #: its value before weighting (>= 0)
    weight_percent: Decimal = HUNDRED

    @property
    def weighted_minor(self) -> int:
        """The value x weight, rounded down: never more cover than promised."""
        scaled = Decimal(self.offered_minor) * self.weight_percent / HUNDRED
        return int(scaled.to_integral_value(ROUND_DOWN))


@dataclass(frozen=True, slots=True)
class Line:
    """One applied cover: what it offered, what it counted for, what is left after it."""

    layer: Layer
    ref: str | None
    label: str
    offered_minor: int
    weight_percent: Decimal
    weighted_minor: int
    applied_minor: int
    remaining_minor: int

    @property
    def capped(self) -> bool:
        """Whether less than the weighted value was used because too little was left."""
        return self.applied_minor < self.weighted_minor


class Figure(StrEnum):
    """What a figure left out of a waterfall is: a part of gross exposure, or a cover."""

    RECEIVABLES = "RECEIVABLES"
    ORDERS = "ORDERS"
    RESERVATIONS = "RESERVATIONS"
    EXPOSURE = "EXPOSURE"  #: a customer's gross in one currency, parts summed (the portfolio's)
    NON_RECOURSE = "NON_RECOURSE"
    INSURED = "INSURED"
    GUARANTEE = "GUARANTEE"
    COLLATERAL = "COLLATERAL"


#: The figures that take risk off: one per layer of the waterfall.
COVER_FIGURES = frozenset(Figure(layer.value) for layer in Layer)


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A figure no rate converts into the waterfall's currency on the date: not counted (a
    gross figure left out makes the gross short, a cover left out makes the net high), so it
    is shown with the pair whose rate is missing."""

    figure: Figure
    ref: str | None  #: the guarantee or collateral id; None for a summed figure
    label: str
    source: Money  #: the figure in its own currency (a cover's value before weighting)
    target: str
    weight_percent: Decimal = HUNDRED

    @property
    def pair(self) -> str:
        """The missing rate's pair, from the figure's currency to the waterfall's (USD/CNY)."""
        return f"{self.source.currency}/{self.target}"

    @property
    def is_cover(self) -> bool:
        """Whether it would take risk off (a cover) rather than add to it."""
        return self.figure in COVER_FIGURES

    @property
    def weighted(self) -> Money:
        """What a cover would count for, in its own currency (value x weight, rounded down)."""
        cover = Cover(Layer.GUARANTEE, self.ref, self.label, self.source.minor, self.weight_percent)
        return Money(cover.weighted_minor, self.source.currency)


@dataclass(frozen=True, slots=True)
class Waterfall:
    """Gross exposure, each cover applied in order, and the net retained risk; the figures no
    rate converted are listed apart (counted in neither)."""

    currency: str
    gross_minor: int
    lines: tuple[Line, ...]
    unconverted: tuple[LeftOut, ...] = ()

    @property
    def net_minor(self) -> int:
        """What we still carry ourselves."""
        return self.lines[-1].remaining_minor if self.lines else self.gross_minor

    def layer_total(self, layer: Layer) -> int:
        """What one layer took off in all."""
        return sum(line.applied_minor for line in self.lines if line.layer == layer)


def apply(
    currency: str, gross_minor: int, covers: Iterable[Cover], unconverted: Iterable[LeftOut] = ()
) -> Waterfall:
    """Apply the covers in layer order (a stable order inside a layer), each capped by what
    is left; a negative gross counts as nothing at risk; figures no rate converted are kept."""
    remaining = max(gross_minor, 0)
    lines = []
    rank = {layer: i for i, layer in enumerate(ORDER)}
    for cover in sorted(covers, key=lambda c: (rank[c.layer], c.ref or "", c.label)):
        weighted = max(cover.weighted_minor, 0)
        applied = min(weighted, remaining)
        remaining -= applied
        offered = max(cover.offered_minor, 0)
        line = Line(cover.layer, cover.ref, cover.label, offered, cover.weight_percent, weighted,
                    applied, remaining)  # fmt: skip
        lines.append(line)
    return Waterfall(currency, max(gross_minor, 0), tuple(lines), tuple(unconverted))


def relief(result: Waterfall) -> tuple[Money, ...]:
    """What a check on the net basis takes off exposure: the relief (gross - net) in the
    waterfall's currency, or nothing. A cover no rate converts gives no relief (a cover can
    only lower exposure, so leaving it out is the cautious side): it stays listed in the
    waterfall's `unconverted`, and the check does not go to review for it."""
    taken = result.gross_minor - result.net_minor
    return (Money(-taken, result.currency),) if taken > 0 else ()


def explain(line: Line, currency: str) -> str:
    """One line in words: the cover, its weighting, what it took off and what is left."""

    def amount(minor: int) -> str:
        digits = minor_units(currency)
        text = f"{Decimal(minor).scaleb(-digits):,.{digits}f}"
        return f"{currency} {text}"

    text = f"{line.label}: {amount(line.offered_minor)}"
    if line.weight_percent != HUNDRED:
        text += f" x {line.weight_percent.normalize():f}% = {amount(line.weighted_minor)}"
    text += f"; {amount(line.applied_minor)} applied"
    if line.capped:
        text += " (capped by what was left)"
    return text + f"; {amount(line.remaining_minor)} left"


@dataclass(frozen=True, slots=True)
class LeftOutTotal:
    """The figures of one kind and currency no rate converted, summed over customers."""

    figure: Figure
    source: Money
    target: str
    customers: int  #: how many customers' figures it sums

    @property
    def pair(self) -> str:
        """The missing rate's pair (USD/CNY)."""
        return f"{self.source.currency}/{self.target}"


@dataclass(frozen=True, slots=True)
class PortfolioTotal:
    """The waterfall summed over customers: per layer, and gross and net (over what converts),
    and what no rate converted, per kind and currency."""

    currency: str
    customers: int
    gross_minor: int
    by_layer: tuple[tuple[Layer, int], ...]
    net_minor: int
    unconverted: tuple[LeftOutTotal, ...] = ()


def total(currency: str, waterfalls: Iterable[Waterfall]) -> PortfolioTotal:
    """Sum of per-customer waterfalls in one currency (every cap applied per customer)."""
    gross = net = count = 0
    layers = dict.fromkeys(ORDER, 0)
    left: dict[tuple[Figure, str], list[int]] = {}  # (kind, currency) -> [minor, customers]
    for item in waterfalls:
        if item.currency != currency:
            raise ValueError("waterfalls in another currency")
        count += 1
        gross += item.gross_minor
        net += item.net_minor
        for line in item.lines:
            layers[line.layer] += line.applied_minor
        seen = set()
        for figure in item.unconverted:
            key = (figure.figure, figure.source.currency)
            summed = left.setdefault(key, [0, 0])
            summed[0] += figure.source.minor
            summed[1] += int(key not in seen)
            seen.add(key)
    rank = list(Figure)
    totals = tuple(
        LeftOutTotal(kind, Money(minor, code), currency, customers)
        for (kind, code), (minor, customers) in sorted(
            left.items(), key=lambda k: (rank.index(k[0][0]), k[0][1])
        )
    )
    return PortfolioTotal(currency, count, gross, tuple(layers.items()), net, totals)
