"""KPI arithmetic against figures worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain import kpis
from domain.errors import DomainError


def test_countback_counts_whole_months_then_the_fraction_that_exhausts_the_balance():
    # 300 open; newest month sold 100 (30 days), the one before 100 (31), then 200 (30)
    assert kpis.dso_countback(300, [(30, 100), (31, 100), (30, 200)]) == Decimal(76)


def test_countback_skips_months_without_sales_and_caps_at_the_horizon():
    assert kpis.dso_countback(100, [(30, 0), (31, 100)]) == Decimal(61)
    assert kpis.dso_countback(1000, [(30, 100), (31, 100)]) == Decimal(61)
    assert kpis.dso_countback(0, [(30, 100)]) == Decimal(0)


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
