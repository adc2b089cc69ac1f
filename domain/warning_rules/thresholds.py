"""The rules a tenant can tune, their threshold fields, defaults and allowed ranges.

A tenant stores only what it changed; `effective` lays that over the defaults. Every field is
an integer (days, percents, counts, minor units), so a wrong type is always a clear refusal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.errors import DomainError, ValidationFailed

OVERDUE = "OVERDUE"
DAYS_TO_PAY = "DAYS_TO_PAY_LENGTHENING"
SCORE_DROP = "SCORE_DROP"
UTILISATION = "LIMIT_UTILISATION"
ORDER_PATTERN = "ORDER_PATTERN_CHANGE"
BROKEN_PROMISES = "PROMISE_BROKEN"
MISSED_INSTALMENTS = "PAYMENT_PLAN_MISSED"
REVERSED_PAYMENTS = "PAYMENT_REVERSED"
CONTACT_CHURN = "CONTACT_CHURN"
LEGAL_RECORD = "LEGAL_RECORD"
NEGATIVE_NEWS = "NEGATIVE_NEWS"
INDUSTRY_DOWNTURN = "INDUSTRY_DOWNTURN"
LIMITATION = "LIMITATION_LAPSING"
CONTAGION = "CONTAGION"

MAX_DAYS = 3650  #: ten years: any window or age beyond is a typing mistake
MAX_PERCENT = 1000
MAX_COUNT = 1000
MAX_AMOUNT = 2_000_000_000  #: two billion in whole currency units (the API's Int is 32-bit)
LEVELS = ("LIGHT", "MEDIUM", "SEVERE")


@dataclass(frozen=True)
class Field:
    """One threshold: its default and the closed range it must lie in."""

    default: int
    low: int
    high: int
    meaning: str


def _days(default: int, meaning: str, low: int = 1) -> Field:
    return Field(default, low, MAX_DAYS, meaning)


def _pct(default: int, meaning: str) -> Field:
    return Field(default, 1, MAX_PERCENT, meaning)


def _count(default: int, meaning: str) -> Field:
    return Field(default, 1, MAX_COUNT, meaning)


def _level(default: str, meaning: str) -> Field:
    return Field(LEVELS.index(default), 0, 2, meaning + " (0 light, 1 medium, 2 severe)")


#: Source practice: 15 days late is a call, 30 a letter, 90 a lawyer.
OVERDUE_LIGHT_DAYS = 15  #: days past due that make a light signal
OVERDUE_MEDIUM_DAYS = 30  #: ... a medium one
OVERDUE_SEVERE_DAYS = 90  #: ... a severe one
OVERDUE_AMOUNT = 1_000_000  #: 1,000,000 (whole units) overdue in one currency is at least medium
DTP_LOOKBACK_DAYS = 30  #: compare today's weighted days past due with this many days ago
DTP_LIGHT_DAYS = 10  #: ... lengthened by this many days: light
DTP_MEDIUM_DAYS = 20  #: ... medium
DTP_SEVERE_DAYS = 45  #: ... severe
SCORE_LOOKBACK_DAYS = 90  #: a score drop is measured against the oldest score in this window
SCORE_LIGHT_POINTS = 10  #: points lost that make a light signal
SCORE_MEDIUM_POINTS = 20  #: ... medium
SCORE_SEVERE_POINTS = 30  #: ... severe
DOWNGRADE_LOOKBACK_DAYS = 30  #: a class downgrade this recent is a signal
UTILISATION_LIGHT_PERCENT = 90  #: exposure above 90% of the limit
UTILISATION_MEDIUM_PERCENT = 100  #: over the limit
UTILISATION_SEVERE_PERCENT = 120  #: well over the limit
ORDER_WINDOW_DAYS = 30  #: recent order volume is over this many days ...
ORDER_TRAILING_DAYS = 180  #: ... against the average of the same span over this trailing period
ORDER_MIN_TRAILING = 3  #: fewer trailing orders than this are no pattern to change
ORDER_SURGE_PERCENT = 200  #: recent volume at twice the trailing average: light
ORDER_SLUMP_PERCENT = 40  #: ... or at 40% of it: light
ORDER_SMALL_PERCENT = 50  #: orders half the usual size ...
ORDER_FREQUENT_PERCENT = 200  #: ... twice as often: small frequent orders replace large ones
PROMISE_LOOKBACK_DAYS = 180  #: broken promises counted over half a year
PROMISE_SEVERE_COUNT = 2  #: the second broken promise in the window is severe
PLAN_LOOKBACK_DAYS = 180  #: missed instalments counted over half a year
REVERSAL_LOOKBACK_DAYS = 90  #: reversed or bounced payments counted over a quarter
REVERSAL_SEVERE_COUNT = 2  #: the second in the window is severe
CHURN_LOOKBACK_DAYS = 90  #: buyer contacts removed over a quarter
CHURN_LIGHT_COUNT = 2  #: two contacts gone: light
CHURN_MEDIUM_COUNT = 3  #: three: the buying team has changed
LEGAL_LOOKBACK_DAYS = 365  #: open legal records filed within a year
NEWS_LOOKBACK_DAYS = 90  #: negative news recorded within a quarter
LIMITATION_FIRST_DAYS = 90  #: first warning this many days before a claim lapses (medium)
LIMITATION_LAST_DAYS = 30  #: last warning this many days before (severe)

RULES: dict[str, dict[str, Field]] = {
    OVERDUE: {
        "lightDays": _days(OVERDUE_LIGHT_DAYS, "days past due for light"),
        "mediumDays": _days(OVERDUE_MEDIUM_DAYS, "days past due for medium"),
        "severeDays": _days(OVERDUE_SEVERE_DAYS, "days past due for severe"),
        "amount": Field(OVERDUE_AMOUNT, 1, MAX_AMOUNT, "overdue amount (whole units) for medium"),
    },
    DAYS_TO_PAY: {
        "lookbackDays": _days(DTP_LOOKBACK_DAYS, "days between the snapshots compared"),
        "lightDays": _days(DTP_LIGHT_DAYS, "lengthening for light"),
        "mediumDays": _days(DTP_MEDIUM_DAYS, "lengthening for medium"),
        "severeDays": _days(DTP_SEVERE_DAYS, "lengthening for severe"),
    },
    SCORE_DROP: {
        "lookbackDays": _days(SCORE_LOOKBACK_DAYS, "window of the score compared"),
        "lightPoints": Field(SCORE_LIGHT_POINTS, 1, 100, "points lost for light"),
        "mediumPoints": Field(SCORE_MEDIUM_POINTS, 1, 100, "points lost for medium"),
        "severePoints": Field(SCORE_SEVERE_POINTS, 1, 100, "points lost for severe"),
        "downgradeDays": _days(DOWNGRADE_LOOKBACK_DAYS, "how recent a downgrade counts"),
    },
    UTILISATION: {
        "lightPercent": _pct(UTILISATION_LIGHT_PERCENT, "exposure over limit for light"),
        "mediumPercent": _pct(UTILISATION_MEDIUM_PERCENT, "exposure over limit for medium"),
        "severePercent": _pct(UTILISATION_SEVERE_PERCENT, "exposure over limit for severe"),
    },
    ORDER_PATTERN: {
        "windowDays": _days(ORDER_WINDOW_DAYS, "recent span"),
        "trailingDays": _days(ORDER_TRAILING_DAYS, "trailing period"),
        "minTrailingOrders": _count(ORDER_MIN_TRAILING, "trailing orders needed"),
        "surgePercent": _pct(ORDER_SURGE_PERCENT, "recent volume over average for a surge"),
        "slumpPercent": _pct(ORDER_SLUMP_PERCENT, "recent volume under average for a slump"),
        "smallPercent": _pct(ORDER_SMALL_PERCENT, "order size against usual for small"),
        "frequentPercent": _pct(ORDER_FREQUENT_PERCENT, "order count against usual"),
    },
    BROKEN_PROMISES: {
        "lookbackDays": _days(PROMISE_LOOKBACK_DAYS, "window"),
        "severeCount": _count(PROMISE_SEVERE_COUNT, "broken promises for severe"),
    },
    MISSED_INSTALMENTS: {
        "lookbackDays": _days(PLAN_LOOKBACK_DAYS, "window"),
    },
    REVERSED_PAYMENTS: {
        "lookbackDays": _days(REVERSAL_LOOKBACK_DAYS, "window"),
        "severeCount": _count(REVERSAL_SEVERE_COUNT, "reversals for severe"),
    },
    CONTACT_CHURN: {
        "lookbackDays": _days(CHURN_LOOKBACK_DAYS, "window"),
        "lightCount": _count(CHURN_LIGHT_COUNT, "contacts removed for light"),
        "mediumCount": _count(CHURN_MEDIUM_COUNT, "contacts removed for medium"),
    },
    LEGAL_RECORD: {"lookbackDays": _days(LEGAL_LOOKBACK_DAYS, "window")},
    NEGATIVE_NEWS: {"lookbackDays": _days(NEWS_LOOKBACK_DAYS, "window")},
    INDUSTRY_DOWNTURN: {"level": _level("LIGHT", "level of a customer in a flagged industry")},
    LIMITATION: {
        "firstDays": _days(LIMITATION_FIRST_DAYS, "days before lapse of the first warning"),
        "lastDays": _days(LIMITATION_LAST_DAYS, "days before lapse of the last warning"),
    },
    CONTAGION: {"level": _level("MEDIUM", "level raised on linked customers")},
}

#: Pairs that must stay ordered (field names): light <= medium <= severe and the like.
ORDERED: dict[str, tuple[tuple[str, str], ...]] = {
    OVERDUE: (("lightDays", "mediumDays"), ("mediumDays", "severeDays")),
    DAYS_TO_PAY: (("lightDays", "mediumDays"), ("mediumDays", "severeDays")),
    SCORE_DROP: (("lightPoints", "mediumPoints"), ("mediumPoints", "severePoints")),
    UTILISATION: (("lightPercent", "mediumPercent"), ("mediumPercent", "severePercent")),
    ORDER_PATTERN: (("windowDays", "trailingDays"), ("slumpPercent", "surgePercent")),
    CONTACT_CHURN: (("lightCount", "mediumCount"),),
    LIMITATION: (("lastDays", "firstDays"),),
}


Thresholds = Mapping[str, Mapping[str, int]]


def defaults() -> dict[str, dict[str, int]]:
    """Every rule's thresholds as shipped."""
    return {rule: {name: f.default for name, f in fields.items()} for rule, fields in RULES.items()}


def effective(overrides: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """The defaults with a tenant's stored overrides laid over them (unknown keys ignored)."""
    out = defaults()
    for rule, values in overrides.items():
        for name, value in values.items():
            if rule in out and name in out[rule] and isinstance(value, int):
                out[rule][name] = value
    return out


def validate(rule: str, values: Mapping[str, Any], current: Mapping[str, int]) -> dict[str, int]:
    """A rule's changed thresholds checked (unknown rule or field, type, range, order); the
    result merges them over `current`. Field paths are the input's (`thresholds.lightDays`)."""
    if rule not in RULES:
        raise ValidationFailed([DomainError("UNKNOWN_RULE", f"no rule {rule!r}", "rule")])
    fields = RULES[rule]
    errors: list[DomainError] = []
    merged = dict(current)
    for name, value in values.items():
        path = f"thresholds.{name}"
        spec = fields.get(name)
        if spec is None:
            errors.append(DomainError("UNKNOWN_FIELD", f"{rule} has no threshold {name!r}", path))
        elif isinstance(value, bool) or not isinstance(value, int):
            errors.append(DomainError("INVALID_THRESHOLD", "must be a whole number", path))
        elif not spec.low <= value <= spec.high:
            errors.append(
                DomainError("OUT_OF_RANGE", f"must lie between {spec.low} and {spec.high}", path)
            )
        else:
            merged[name] = value
    if not errors:
        for low, high in ORDERED.get(rule, ()):
            if merged[low] > merged[high]:
                path = f"thresholds.{low if low in values else high}"
                errors.append(DomainError("OUT_OF_ORDER", f"{low} must not exceed {high}", path))
    if errors:
        raise ValidationFailed(errors)
    return merged
