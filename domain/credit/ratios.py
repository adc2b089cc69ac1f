"""Financial ratios and their year-on-year trends, exact decimals, never a division by zero.

A ratio whose line is missing (or whose denominator is zero or meaningless) is None with a
reason, so a reader sees "no inventory reported" rather than a number that is not there.
Flows of an interim period (profit, cash flow) are annualised (x 365 / days) where they are
set against a stock (assets, equity, liabilities), so a half-year compares with a year; an
annual period's flows are a year's already (its length is checked when it is recorded).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum

from domain.credit.dates import months_before
from domain.credit.financials import SOURCE_RANK, Line, PeriodKind, Statement

RATIO_PLACES = Decimal("0.0001")  #: ratios to four decimals (0.1234 = 12.34%)
DAYS_PLACES = Decimal("0.1")  #: turnover in days to one decimal
YEAR_DAYS = 365  #: the year that interim flows are annualised to
TREND_PERIODS = 5  #: trends look back over at most five periods
#: A period counts as "a year earlier" when it ends within this many days of 12 months before.
YEAR_APART_SLACK_DAYS = 7


class Ratio(StrEnum):
    """The ratios a credit analyst reads first."""

    CURRENT_RATIO = "CURRENT_RATIO"
    QUICK_RATIO = "QUICK_RATIO"
    DEBT_TO_ASSETS = "DEBT_TO_ASSETS"
    GROSS_MARGIN = "GROSS_MARGIN"
    NET_MARGIN = "NET_MARGIN"
    RETURN_ON_ASSETS = "RETURN_ON_ASSETS"
    RETURN_ON_EQUITY = "RETURN_ON_EQUITY"
    INTEREST_COVER = "INTEREST_COVER"
    RECEIVABLE_DAYS = "RECEIVABLE_DAYS"
    INVENTORY_DAYS = "INVENTORY_DAYS"
    OPERATING_CASH_FLOW_TO_CURRENT_LIABILITIES = "OPERATING_CASH_FLOW_TO_CURRENT_LIABILITIES"


#: Which way is better, so a client can say "improving" without knowing finance.
HIGHER_IS_BETTER = {
    Ratio.CURRENT_RATIO: True,
    Ratio.QUICK_RATIO: True,
    Ratio.DEBT_TO_ASSETS: False,
    Ratio.GROSS_MARGIN: True,
    Ratio.NET_MARGIN: True,
    Ratio.RETURN_ON_ASSETS: True,
    Ratio.RETURN_ON_EQUITY: True,
    Ratio.INTEREST_COVER: True,
    Ratio.RECEIVABLE_DAYS: False,
    Ratio.INVENTORY_DAYS: False,
    Ratio.OPERATING_CASH_FLOW_TO_CURRENT_LIABILITIES: True,
}


@dataclass(frozen=True)
class RatioValue:
    """A ratio, or None with the reason (e.g. MISSING_LINE:INVENTORY, ZERO:REVENUE)."""

    ratio: Ratio
    value: Decimal | None
    reason: str | None = None


def _q(value: Decimal, places: Decimal) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_EVEN)


def _divide(
    ratio: Ratio,
    numerator: tuple[Line | str, int | None],
    denominator: tuple[Line | str, int | None],
    *,
    scale: Decimal = Decimal(1),
    places: Decimal = RATIO_PLACES,
    positive_denominator: bool = False,
) -> RatioValue:
    """numerator / denominator x scale, or None with the first reason it cannot be computed."""
    missing = [str(name) for name, value in (numerator, denominator) if value is None]
    if missing:
        return RatioValue(ratio, None, "MISSING_LINE:" + ",".join(missing))
    (_, num), (den_name, den) = numerator, denominator
    assert num is not None and den is not None
    if den == 0:
        return RatioValue(ratio, None, f"ZERO:{den_name}")
    if positive_denominator and den < 0:
        return RatioValue(ratio, None, f"NEGATIVE:{den_name}")
    return RatioValue(ratio, _q(Decimal(num) * scale / Decimal(den), places))


def annualise(stmt: Statement) -> Decimal:
    """The factor that turns the period's flows into a year's: 1 for an annual statement
    (a 364-day or leap year is still one year), 365 / days for an interim one."""
    if stmt.kind == PeriodKind.ANNUAL or stmt.days >= YEAR_DAYS:
        return Decimal(1)
    return Decimal(YEAR_DAYS) / Decimal(stmt.days)


def _minus(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a - b


def _parts(
    stmt: Statement,
) -> dict[Ratio, Callable[[], RatioValue]]:
    """Each ratio as a thunk, so a caller needing five of eleven computes five."""
    g = stmt.get
    ca = (Line.CURRENT_ASSETS, g(Line.CURRENT_ASSETS))
    cl = (Line.CURRENT_LIABILITIES, g(Line.CURRENT_LIABILITIES))
    ta, revenue = (Line.TOTAL_ASSETS, g(Line.TOTAL_ASSETS)), (Line.REVENUE, g(Line.REVENUE))
    net = (Line.NET_PROFIT, g(Line.NET_PROFIT))
    cost = (Line.COST_OF_SALES, g(Line.COST_OF_SALES))
    inventory = (Line.INVENTORY, g(Line.INVENTORY))
    quick: tuple[Line | str, int | None] = (
        ("CURRENT_ASSETS-INVENTORY", _minus(ca[1], inventory[1]))
        if inventory[1] is not None
        else inventory
    )
    gross: tuple[Line | str, int | None] = (
        ("REVENUE-COST_OF_SALES", _minus(revenue[1], cost[1])) if cost[1] is not None else cost
    )
    days = Decimal(stmt.days)
    return {
        Ratio.CURRENT_RATIO: lambda: _divide(Ratio.CURRENT_RATIO, ca, cl),
        Ratio.QUICK_RATIO: lambda: _divide(Ratio.QUICK_RATIO, quick, cl),
        Ratio.DEBT_TO_ASSETS: lambda: _divide(
            Ratio.DEBT_TO_ASSETS, (Line.TOTAL_LIABILITIES, g(Line.TOTAL_LIABILITIES)), ta
        ),
        Ratio.GROSS_MARGIN: lambda: _divide(Ratio.GROSS_MARGIN, gross, revenue),
        Ratio.NET_MARGIN: lambda: _divide(Ratio.NET_MARGIN, net, revenue),
        Ratio.RETURN_ON_ASSETS: lambda: _divide(
            Ratio.RETURN_ON_ASSETS, net, ta, scale=annualise(stmt)
        ),
        Ratio.RETURN_ON_EQUITY: lambda: _divide(
            Ratio.RETURN_ON_EQUITY,
            net,
            (Line.EQUITY, g(Line.EQUITY)),
            scale=annualise(stmt),
            positive_denominator=True,
        ),
        Ratio.INTEREST_COVER: lambda: _divide(
            Ratio.INTEREST_COVER,
            ("EBIT", stmt.ebit),
            (Line.INTEREST_EXPENSE, g(Line.INTEREST_EXPENSE)),
        ),
        Ratio.RECEIVABLE_DAYS: lambda: _divide(
            Ratio.RECEIVABLE_DAYS,
            (Line.RECEIVABLES, g(Line.RECEIVABLES)),
            revenue,
            scale=days,
            places=DAYS_PLACES,
        ),
        Ratio.INVENTORY_DAYS: lambda: _divide(
            Ratio.INVENTORY_DAYS, inventory, cost, scale=days, places=DAYS_PLACES
        ),
        Ratio.OPERATING_CASH_FLOW_TO_CURRENT_LIABILITIES: lambda: _divide(
            Ratio.OPERATING_CASH_FLOW_TO_CURRENT_LIABILITIES,
            (Line.OPERATING_CASH_FLOW, g(Line.OPERATING_CASH_FLOW)),
            cl,
            scale=annualise(stmt),
        ),
    }


def ratios(stmt: Statement, only: Iterable[Ratio] | None = None) -> dict[Ratio, RatioValue]:
    """Every ratio of one statement (or the ones asked for); all lines are in the statement's
    own currency."""
    parts = _parts(stmt)
    return {r: parts[r]() for r in (parts if only is None else only)}


def preferred(statements: Sequence[Statement]) -> list[Statement]:
    """One statement per period and kind, the most reliable source first; oldest first."""
    best: dict[tuple[date, date, str], Statement] = {}
    for stmt in statements:
        key = (stmt.period_start, stmt.period_end, stmt.kind.value)
        held = best.get(key)
        if held is None or SOURCE_RANK[stmt.source] < SOURCE_RANK[held.source]:
            best[key] = stmt
    return sorted(best.values(), key=lambda s: (s.period_end, s.period_start))


def latest(statements: Sequence[Statement], as_of: date) -> Statement | None:
    """The statement analysis and scoring rely on on `as_of`: of the periods ended by then,
    the newest annual one, else the newest interim one; of one period the most reliable
    source. `services.credit.scoring_facts.STATEMENTS_SQL` is its set-wise twin."""
    chosen = [s for s in preferred(statements) if s.period_end <= as_of]
    annual = [s for s in chosen if s.kind == PeriodKind.ANNUAL]
    pool = annual or chosen
    return pool[-1] if pool else None


@dataclass(frozen=True)
class TrendPoint:
    """A period's value and its change against the same period a year earlier."""

    period_end: date
    value: Decimal | None
    change: Decimal | None
    reason: str | None


@dataclass(frozen=True)
class Trend:
    """A ratio (or growth line) over up to five periods, oldest first."""

    key: str
    higher_is_better: bool
    points: tuple[TrendPoint, ...]


def _year_earlier(stmt: Statement, pool: Sequence[Statement]) -> Statement | None:
    target = months_before(stmt.period_end, 12)
    for other in pool:
        if (
            abs((other.period_end - target).days) <= YEAR_APART_SLACK_DAYS
            and abs(other.days - stmt.days) <= YEAR_APART_SLACK_DAYS
        ):
            return other
    return None


def _series(
    key: str,
    higher: bool,
    series: Sequence[Statement],
    pool: Sequence[Statement],
    value_of: Callable[[Statement], tuple[Decimal | None, str | None]],
) -> Trend:
    points = []
    for stmt in series:
        value, reason = value_of(stmt)
        earlier = _year_earlier(stmt, pool)
        change = None
        if value is not None and earlier is not None:
            before, _ = value_of(earlier)
            change = None if before is None else value - before
        if earlier is None and reason is None:
            reason = "NO_PERIOD_A_YEAR_EARLIER"
        points.append(TrendPoint(stmt.period_end, value, change, reason))
    return Trend(key, higher, tuple(points))


def growth(
    line: Line, stmt: Statement, earlier: Statement | None
) -> tuple[Decimal | None, str | None]:
    """A line's change against the same period a year earlier, as a share of the earlier."""
    if earlier is None:
        return None, "NO_PERIOD_A_YEAR_EARLIER"
    now, then = stmt.get(line), earlier.get(line)
    if now is None or then is None:
        return None, f"MISSING_LINE:{line}"
    if then == 0:
        return None, f"ZERO:{line}"
    return _q(Decimal(now - then) / abs(Decimal(then)), RATIO_PLACES), None


def trends(statements: Sequence[Statement], as_of: date) -> list[Trend]:
    """Year-on-year trends of every ratio, and revenue and net profit growth, over the last
    five periods of the same kind as the latest statement (periods ended by `as_of`)."""
    newest = latest(statements, as_of)
    if newest is None:
        return []
    chosen = preferred(statements)
    pool = [s for s in chosen if s.kind == newest.kind and s.period_end <= as_of]
    series = pool[-TREND_PERIODS:]
    out = []
    for ratio in Ratio:

        def value_of(stmt: Statement, r: Ratio = ratio) -> tuple[Decimal | None, str | None]:
            v = ratios(stmt)[r]
            return v.value, v.reason

        out.append(_series(ratio.value, HIGHER_IS_BETTER[ratio], series, pool, value_of))
    for line in (Line.REVENUE, Line.NET_PROFIT):
        points = []
        for stmt in series:
            value, reason = growth(line, stmt, _year_earlier(stmt, pool))
            points.append(TrendPoint(stmt.period_end, value, None, reason))
        out.append(Trend(f"{line}_GROWTH", True, tuple(points)))
    return out
