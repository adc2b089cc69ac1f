"""A scorecard: weighted factors with banded points, class thresholds and knock-outs.

A factor reads one input (a number or a category) and gives 0-100 points by band; the score is
the weighted mean of the points, so 0-100. Bands of a number cover the whole line, from no
lower bound to no upper bound, each starting exactly where the previous one ends (lower bound
included, upper excluded); bands of a category name each category once, and an open list
(industry) needs an `otherwise` band. Anything else overlaps or leaves a gap and is refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from itertools import pairwise
from typing import Any

from domain.credit.classes import RatingClass
from domain.currencies import is_currency
from domain.errors import DomainError, ValidationFailed


class InputKind(StrEnum):
    """A measured number, or a category out of a list."""

    NUMBER = "NUMBER"
    CATEGORY = "CATEGORY"


@dataclass(frozen=True)
class InputSpec:
    """What an input is; `categories` None for a number or an open list (industry)."""

    kind: InputKind
    categories: tuple[str, ...] | None = None
    description: str = ""


N = InputKind.NUMBER
C = InputKind.CATEGORY

#: Every input a factor or a knock-out can read; the scoring facts supply each of them.
INPUTS: dict[str, InputSpec] = {
    "YEARS_TRADING": InputSpec(N, None, "Whole years since the customer was founded."),
    "REGISTERED_CAPITAL": InputSpec(N, None, "Registered capital, major units of the card."),
    "ANNUAL_SALES": InputSpec(N, None, "Annual sales, major units of the scorecard currency."),
    "ALTMAN_Z": InputSpec(N, None, "Altman Z'' of the latest statement."),
    "ALTMAN_ZONE": InputSpec(C, ("SAFE", "GREY", "DISTRESS"), "Altman Z'' zone."),
    "CURRENT_RATIO": InputSpec(N, None, "Current assets / current liabilities."),
    "QUICK_RATIO": InputSpec(N, None, "(Current assets - inventory) / current liabilities."),
    "DEBT_TO_ASSETS": InputSpec(N, None, "Total liabilities / total assets."),
    "NET_MARGIN": InputSpec(N, None, "Net profit / revenue."),
    "INTEREST_COVER": InputSpec(N, None, "EBIT / interest expense."),
    "NEGATIVE_EQUITY": InputSpec(C, ("YES", "NO"), "Liabilities exceed assets."),
    "PAYMENT_DAYS_LATE": InputSpec(N, None, "Amount-weighted days late over the window."),
    "ON_TIME_RATIO": InputSpec(N, None, "Share of the judged amount paid by its due date."),
    "MAX_DAYS_PAST_DUE": InputSpec(N, None, "Longest days past due in the window."),
    "DAYS_TO_PAY_TREND": InputSpec(
        C, ("LENGTHENING", "STABLE", "SHORTENING"), "Days to pay, later half against earlier."
    ),
    "BROKEN_PROMISES": InputSpec(N, None, "Promises to pay broken in the window."),
    "DISPUTED_SHARE": InputSpec(N, None, "Disputed amount / invoiced amount in the window."),
    "REVERSED_PAYMENTS": InputSpec(N, None, "Payments reversed (bounced) in the window."),
    "LEGAL_STATUS": InputSpec(
        C,
        ("NONE", "PLAINTIFF", "DEFENDANT", "ENFORCEMENT", "DISHONEST_DEBTOR"),
        "Worst open legal record (None when nobody checked in the last 12 months).",
    ),
    "NEGATIVE_NEWS": InputSpec(N, None, "Negative news items in the last 12 months."),
    "INDUSTRY": InputSpec(C, None, "The customer's industry (an open list)."),
    "RELATIONSHIP_YEARS": InputSpec(N, None, "Whole years since the first invoice."),
}


class MissingRule(StrEnum):
    """How a factor scores when its input is missing: never silently as zero."""

    NEUTRAL = "NEUTRAL"
    PENALTY = "PENALTY"


#: Points a missing input gets: the middle of the scale, or none at all.
MISSING_POINTS = {MissingRule.NEUTRAL: 50, MissingRule.PENALTY: 0}
MAX_POINTS = 100
MAX_FACTORS = 30
MAX_BANDS = 20
MAX_LABEL = 60
MAX_KNOCK_OUTS = 20
#: Knock-out codes travel as reason codes: upper-case words joined by underscores.
CODE = re.compile(r"[A-Z][A-Z0-9_]{0,59}")
#: Four adverse reasons, the number credit bureaus customarily give beside a score.
DEFAULT_REASON_COUNT = 4


@dataclass(frozen=True)
class Band:
    """[lower, upper) of a number (None: unbounded), or a set of categories, or otherwise."""

    label: str
    points: int
    lower: Decimal | None = None
    upper: Decimal | None = None
    categories: tuple[str, ...] = ()
    otherwise: bool = False


@dataclass(frozen=True)
class Factor:
    """One input, weighted, scored by band."""

    input: str
    weight: Decimal
    missing: MissingRule
    bands: tuple[Band, ...]


class Operator(StrEnum):
    """How a knock-out compares its input."""

    GT = "GT"
    GTE = "GTE"
    LT = "LT"
    LTE = "LTE"
    IN = "IN"


@dataclass(frozen=True)
class KnockOut:
    """When the input matches, the class is capped (at best `cap`), whatever the score."""

    code: str
    input: str
    operator: Operator
    values: tuple[str, ...]
    cap: RatingClass


@dataclass(frozen=True)
class Thresholds:
    """Minimum scores of A, B and C; below C is D."""

    a: Decimal
    b: Decimal
    c: Decimal


@dataclass(frozen=True)
class Scorecard:
    """A complete, checked definition."""

    factors: tuple[Factor, ...]
    thresholds: Thresholds
    knock_outs: tuple[KnockOut, ...]
    currency: str
    reason_count: int = DEFAULT_REASON_COUNT


def parse_decimal(raw: Any, field: str, errors: list[DomainError]) -> Decimal | None:
    """A decimal written as a string (None stays None); a bad one is recorded in errors."""
    if raw is None:
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        errors.append(DomainError("INVALID_SCORECARD", f"{raw!r} is not a decimal", field))
        return None
    if not value.is_finite():
        errors.append(DomainError("INVALID_SCORECARD", "a finite decimal", field))
        return None
    return value


def norm_category(raw: str) -> str:
    """Categories compare case-insensitively and without surrounding blanks."""
    return raw.strip().upper()


def _numeric_bands(bands: Sequence[Band], path: str) -> list[DomainError]:
    errors: list[DomainError] = []
    order = sorted(
        range(len(bands)),
        key=lambda i: (bands[i].lower is not None, bands[i].lower or Decimal(0)),
    )
    for i in order:
        b = bands[i]
        if b.categories or b.otherwise:
            errors.append(
                DomainError("INVALID_SCORECARD", "a number's bands are ranges", f"{path}.{i}")
            )
        if b.lower is not None and b.upper is not None and b.lower >= b.upper:
            errors.append(
                DomainError("INVALID_SCORECARD", "lower must be below upper", f"{path}.{i}")
            )
    if errors:
        return errors
    first, last = bands[order[0]], bands[order[-1]]
    if first.lower is not None:
        errors.append(DomainError("BAND_GAP", "nothing covers values below the lowest band", path))
    if last.upper is not None:
        errors.append(DomainError("BAND_GAP", "nothing covers values above the top band", path))
    for prev_i, next_i in pairwise(order):
        prev, nxt = bands[prev_i], bands[next_i]
        if prev.upper is None or nxt.lower is None or prev.upper > nxt.lower:
            errors.append(
                DomainError(
                    "BAND_OVERLAP", f"{nxt.label!r} overlaps {prev.label!r}", f"{path}.{next_i}"
                )
            )
        elif prev.upper < nxt.lower:
            errors.append(
                DomainError(
                    "BAND_GAP",
                    f"nothing covers {prev.upper} to {nxt.lower}",
                    f"{path}.{next_i}.lower",
                )
            )
    return errors


def _category_bands(bands: Sequence[Band], spec: InputSpec, path: str) -> list[DomainError]:
    errors: list[DomainError] = []
    seen: dict[str, int] = {}
    defaults = [i for i, b in enumerate(bands) if b.otherwise]
    for i, b in enumerate(bands):
        if b.lower is not None or b.upper is not None:
            errors.append(
                DomainError(
                    "INVALID_SCORECARD", "a category's bands list categories", f"{path}.{i}"
                )
            )
        if not b.categories and not b.otherwise:
            errors.append(
                DomainError("REQUIRED", "name categories or mark otherwise", f"{path}.{i}")
            )
        for raw in b.categories:
            category = norm_category(raw)
            if spec.categories is not None and category not in spec.categories:
                errors.append(
                    DomainError(
                        "INVALID_SCORECARD",
                        f"{raw!r} is not one of {', '.join(spec.categories)}",
                        f"{path}.{i}.categories",
                    )
                )
            elif category in seen:
                errors.append(
                    DomainError(
                        "BAND_OVERLAP", f"{raw!r} is in two bands", f"{path}.{i}.categories"
                    )
                )
            seen[category] = i
    if len(defaults) > 1:
        errors.append(DomainError("BAND_OVERLAP", "one otherwise band at most", path))
    if not defaults:
        uncovered = [c for c in spec.categories or () if c not in seen]
        if spec.categories is None:
            errors.append(DomainError("BAND_GAP", "an open list needs an otherwise band", path))
        elif uncovered:
            errors.append(DomainError("BAND_GAP", f"no band for {', '.join(uncovered)}", path))
    return errors


def check_factor(factor: Factor, path: str) -> list[DomainError]:
    """Every problem of one factor: its input, weight, points and bands."""
    spec = INPUTS.get(factor.input)
    if spec is None:
        return [DomainError("INVALID_SCORECARD", f"no input {factor.input!r}", f"{path}.input")]
    errors: list[DomainError] = []
    if not Decimal(0) < factor.weight <= Decimal(100):
        errors.append(
            DomainError("INVALID_SCORECARD", "weight above 0, at most 100", f"{path}.weight")
        )
    if not factor.bands:
        return [*errors, DomainError("BAND_GAP", "a factor needs bands", f"{path}.bands")]
    if len(factor.bands) > MAX_BANDS:
        errors.append(DomainError("TOO_MANY", f"at most {MAX_BANDS} bands", f"{path}.bands"))
    for i, band in enumerate(factor.bands):
        if not 0 <= band.points <= MAX_POINTS:
            errors.append(
                DomainError("INVALID_SCORECARD", "points from 0 to 100", f"{path}.bands.{i}.points")
            )
        if not band.label.strip() or len(band.label) > MAX_LABEL:
            errors.append(
                DomainError(
                    "INVALID_INPUT",
                    f"a label of 1-{MAX_LABEL} characters",
                    f"{path}.bands.{i}.label",
                )
            )
    if spec.kind == InputKind.NUMBER:
        return errors + _numeric_bands(factor.bands, f"{path}.bands")
    return errors + _category_bands(factor.bands, spec, f"{path}.bands")


def check_knock_out(ko: KnockOut, path: str) -> list[DomainError]:
    """A knock-out reads a known input and compares like with like."""
    spec = INPUTS.get(ko.input)
    errors: list[DomainError] = []
    if not CODE.fullmatch(ko.code):
        errors.append(
            DomainError(
                "INVALID_CODE", "A-Z, 0-9 and _, starting with a letter, at most 60", f"{path}.code"
            )
        )
    if spec is None:
        return [
            *errors,
            DomainError("INVALID_SCORECARD", f"no input {ko.input!r}", f"{path}.input"),
        ]
    if ko.operator == Operator.IN:
        if spec.kind != InputKind.CATEGORY or not ko.values:
            errors.append(
                DomainError(
                    "INVALID_SCORECARD", "IN takes categories of a category input", f"{path}.values"
                )
            )
    elif spec.kind != InputKind.NUMBER or len(ko.values) != 1:
        errors.append(
            DomainError(
                "INVALID_SCORECARD",
                "a comparison takes one number of a number input",
                f"{path}.values",
            )
        )
    else:
        parse_decimal(ko.values[0], f"{path}.values.0", errors)
    return errors


def check_scorecard(card: Scorecard) -> Scorecard:
    """The card unchanged, or every problem at once (paths under `definition`)."""
    errors: list[DomainError] = []
    if not card.factors:
        errors.append(DomainError("REQUIRED", "at least one factor", "definition.factors"))
    if len(card.factors) > MAX_FACTORS:
        errors.append(
            DomainError("TOO_MANY", f"at most {MAX_FACTORS} factors", "definition.factors")
        )
    seen: set[str] = set()
    for i, factor in enumerate(card.factors):
        if factor.input in seen:
            errors.append(
                DomainError(
                    "INVALID_SCORECARD",
                    f"{factor.input} scored twice",
                    f"definition.factors.{i}.input",
                )
            )
        seen.add(factor.input)
        errors += check_factor(factor, f"definition.factors.{i}")
    t = card.thresholds
    if not Decimal(100) >= t.a > t.b > t.c > Decimal(0):
        errors.append(
            DomainError("INVALID_SCORECARD", "100 >= A > B > C > 0", "definition.thresholds")
        )
    if len(card.knock_outs) > MAX_KNOCK_OUTS:
        errors.append(
            DomainError("TOO_MANY", f"at most {MAX_KNOCK_OUTS} knock-outs", "definition.knockOuts")
        )
    for i, ko in enumerate(card.knock_outs):
        errors += check_knock_out(ko, f"definition.knockOuts.{i}")
    if not is_currency(card.currency):
        errors.append(DomainError("UNKNOWN_CURRENCY", "an ISO 4217 code", "definition.currency"))
    if not 1 <= card.reason_count <= 10:
        errors.append(DomainError("INVALID_SCORECARD", "1 to 10 reasons", "definition.reasonCount"))
    if errors:
        raise ValidationFailed(errors)
    return card
