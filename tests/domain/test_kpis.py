"""KPI arithmetic against figures worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import kpis
from domain.errors import DomainError


def _months(end: date, sales: list[int]) -> list[tuple[date, date, int]]:
    """month_segments walking back from `end`, with these sales, newest first."""
    return [
        (a, b, v) for (a, b), v in zip(kpis.month_segments(end, len(sales)), sales, strict=True)
    ]


def test_countback_counts_whole_months_then_the_fraction_that_exhausts_the_balance():
    # 300 open; June sold 100 (30 days), May 100 (31), April 200 (30): 30 + 31 + 15 days
    found = kpis.countback(300, _months(date(2026, 6, 30), [100, 100, 200]))
    assert found == kpis.Countback(
        Decimal(76), date(2026, 4, 1), date(2026, 6, 30), months=3, capped=False
    )


def test_countback_skips_months_without_sales_and_caps_at_the_horizon():
    june = date(2026, 6, 30)
    assert kpis.countback(100, _months(june, [0, 100])).dso == Decimal(61)
    capped = kpis.countback(1000, _months(june, [100, 100]))
    assert capped == kpis.Countback(Decimal(61), date(2026, 5, 1), june, months=2, capped=True)
    assert kpis.countback(0, _months(june, [100])) == kpis.Countback(
        Decimal(0), None, june, months=0, capped=False
    )


def test_countback_is_capped_at_24_months_when_sales_are_too_thin():
    # 24 months of 10 against 1,000 open: the walk stops at the cap and says so
    segments = _months(date(2026, 6, 30), [10] * kpis.MAX_COUNTBACK_MONTHS)
    found = kpis.countback(1000, segments)
    assert found.capped is True and found.months == 24
    assert found.window_from == date(2024, 7, 1)
    assert found.dso == (date(2026, 6, 30) - date(2024, 7, 1)).days + 1


@given(
    closing=st.integers(min_value=0, max_value=10**9),
    sales=st.lists(st.integers(min_value=-100, max_value=10**8), min_size=1, max_size=24),
)
def test_countback_window_holds_the_days_it_counts(closing: int, sales: list[int]) -> None:
    found = kpis.countback(closing, _months(date(2026, 6, 30), sales))
    assert 0 <= found.months <= len(sales)
    if found.window_from is None:
        assert found.dso == 0
    else:
        assert 0 < found.dso <= (found.window_to - found.window_from).days + 1
    assert found.capped == (found.months == len(sales) and closing > sum(max(v, 0) for v in sales))


def test_month_segments_start_with_the_partial_month():
    segments = kpis.month_segments(date(2026, 3, 15), 3)
    assert segments == [
        (date(2026, 3, 1), date(2026, 3, 15)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 1, 1), date(2026, 1, 31)),
    ]


def test_cei_ratio_and_per_sales_days():
    assert kpis.cei(1000, 500, 600, 200) == Decimal(900) * 100 / Decimal(1300)
    assert kpis.cei(0, 0, 0, 0) is None
    assert kpis.ratio(1, 4) == Decimal("0.25")
    assert kpis.ratio(1, 0) is None
    assert kpis.per_sales_days(2000, 2500, 31) == Decimal("24.8")
    assert kpis.per_sales_days(1, 0, 31) is None


def test_concentration_top10_share_and_hhi():
    # three customers with 50, 30 and 20 percent of the book
    result = kpis.concentration(100, 100, 50**2 + 30**2 + 20**2, 3)
    assert result.top10_share == Decimal(1)
    assert result.hhi == Decimal(3800)
    assert kpis.concentration(0, 0, 0, 0).hhi is None


def test_period_is_checked():
    assert kpis.check_period(date(2026, 10, 1), date(2026, 10, 31)) == 31
    with pytest.raises(DomainError):
        kpis.check_period(date(2026, 10, 31), date(2026, 10, 1))
    with pytest.raises(DomainError):
        kpis.check_period(date(2020, 1, 1), date(2026, 1, 1))
