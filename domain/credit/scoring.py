"""Score a customer's inputs with a scorecard: points per factor, the class, knock-outs, reasons.

Pure and fast: a portfolio of 50,000 is scored in Python in batches, twice for a simulation,
so a card is compiled once (bands sorted for bisection) and applied many times.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import NamedTuple

from domain.credit.classes import RatingClass, cap
from domain.credit.scorecard import (
    INPUTS,
    MISSING_POINTS,
    Factor,
    InputKind,
    KnockOut,
    MissingRule,
    Operator,
    Scorecard,
    norm_category,
)

SCORE_PLACES = Decimal("0.01")

Value = Decimal | str | None


class InputValue(NamedTuple):
    """One input as measured: the value, or None with why it is missing (a tuple: a portfolio
    has a million of them)."""

    value: Value
    missing_reason: str | None = None


class FactorScore(NamedTuple):
    """How one factor scored: its band (None when the input was missing) and its points."""

    input: str
    value: Value
    band: str | None
    points: int
    weight: Decimal
    missing: bool
    missing_rule: MissingRule
    shortfall: Decimal  # score points lost against full marks, weighted


@dataclass(frozen=True)
class ScoreResult:
    """The score (0-100), the class by thresholds, the class after knock-outs, and why."""

    score: Decimal
    score_class: RatingClass
    rating_class: RatingClass
    factors: tuple[FactorScore, ...]
    knock_outs: tuple[str, ...]
    reason_codes: tuple[str, ...]
    missing_inputs: tuple[str, ...]


#: A band's outcome, precomputed once per card: (points, label, weight x points, shortfall).
Entry = tuple[int, str | None, Decimal, Decimal]


class _Compiled:
    """A factor ready to score: numeric bands by lower bound, categories in a dict, and each
    band's weighted points and shortfall computed once."""

    __slots__ = ("bounds", "by_category", "factor", "missing", "numeric", "ordered", "otherwise")

    def __init__(self, factor: Factor, total: Decimal) -> None:
        self.factor = factor

        def entry(points: int, label: str | None) -> Entry:
            shortfall = (factor.weight * (100 - points) / total).quantize(
                SCORE_PLACES, rounding=ROUND_HALF_EVEN
            )
            return (points, label, factor.weight * points, shortfall)

        self.missing = entry(MISSING_POINTS[factor.missing], None)
        self.numeric = INPUTS[factor.input].kind == InputKind.NUMBER
        if self.numeric:
            bands = sorted(factor.bands, key=lambda b: (b.lower is not None, b.lower or Decimal(0)))
            self.ordered = [entry(b.points, b.label) for b in bands]
            self.bounds = [b.lower for b in bands[1:] if b.lower is not None]
        else:
            self.by_category = {
                norm_category(c): entry(b.points, b.label)
                for b in factor.bands
                for c in b.categories
            }
            fallback = next((b for b in factor.bands if b.otherwise), None)
            self.otherwise = None if fallback is None else entry(fallback.points, fallback.label)

    def entry(self, value: Decimal | str) -> Entry | None:
        if self.numeric:
            if not isinstance(value, Decimal):
                return None
            return self.ordered[bisect_right(self.bounds, value)]
        return self.by_category.get(norm_category(str(value)), self.otherwise)


class CompiledCard:
    """A checked scorecard compiled for repeated use."""

    def __init__(self, card: Scorecard) -> None:
        self.card = card
        self.total_weight = sum((f.weight for f in card.factors), Decimal(0))
        self.factors = [_Compiled(f, self.total_weight) for f in card.factors]


def _matches(ko: KnockOut, value: Value) -> bool:
    if value is None:
        return False  # a knock-out needs evidence; a missing input is scored, not knocked out
    if ko.operator == Operator.IN:
        return norm_category(str(value)) in {norm_category(v) for v in ko.values}
    if not isinstance(value, Decimal):
        return False
    limit = Decimal(ko.values[0])
    return {
        Operator.GT: value > limit,
        Operator.GTE: value >= limit,
        Operator.LT: value < limit,
        Operator.LTE: value <= limit,
    }[ko.operator]


def class_for(score: Decimal, card: Scorecard) -> RatingClass:
    """A at or above the A threshold, and so on; below C's threshold, D."""
    t = card.thresholds
    if score >= t.a:
        return RatingClass.A
    if score >= t.b:
        return RatingClass.B
    if score >= t.c:
        return RatingClass.C
    return RatingClass.D


def score(compiled: CompiledCard, inputs: Mapping[str, InputValue]) -> ScoreResult:
    """Score the inputs: each factor's points by band (or by its missing rule), the weighted
    mean, the class, the knock-outs' caps, and the largest shortfalls as reason codes."""
    card = compiled.card
    results: list[FactorScore] = []
    weighted = Decimal(0)
    missing: list[str] = []
    for c in compiled.factors:
        f = c.factor
        given = inputs.get(f.input)
        value = given.value if given is not None else None
        found = c.entry(value) if value is not None else None
        if found is None:
            found = c.missing
            missing.append(f.input)
        points, label, contribution, shortfall = found
        weighted += contribution
        results.append(
            FactorScore(
                f.input, value, label, points, f.weight, label is None, f.missing, shortfall
            )
        )
    value_score = (weighted / compiled.total_weight).quantize(
        SCORE_PLACES, rounding=ROUND_HALF_EVEN
    )
    by_score = class_for(value_score, card)
    final = by_score
    fired = []
    for ko in card.knock_outs:
        given = inputs.get(ko.input)
        if _matches(ko, given.value if given is not None else None):
            fired.append(ko.code)
            final = cap(final, ko.cap)
    ranked = sorted(
        (r for r in results if r.shortfall > 0),
        key=lambda r: (-r.shortfall, -r.weight, r.input),
    )
    reasons = tuple(
        f"{r.input}_MISSING" if r.missing else r.input for r in ranked[: card.reason_count]
    )
    return ScoreResult(
        score=value_score,
        score_class=by_score,
        rating_class=final,
        factors=tuple(results),
        knock_outs=tuple(fired),
        reason_codes=reasons,
        missing_inputs=tuple(missing),
    )
