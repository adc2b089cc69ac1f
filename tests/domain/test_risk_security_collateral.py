"""Collateral: forms per asset, the haircut, the coverage value, re-appraisal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.money import Money
from domain.risk.collateral import (
    AssetKind,
    Form,
    check_form,
    coverage_value,
    parse_haircut,
    reappraisal,
)


@pytest.mark.parametrize("text", ["-0.01", "100.01", "abc", "1e2", "NaN", "12.345", ""])
def test_haircut_outside_0_100_or_malformed_is_refused(text: str) -> None:
    with pytest.raises(DomainError) as refused:
        parse_haircut(text)
    assert refused.value.code == "INVALID_HAIRCUT"
    assert refused.value.field == "haircutPercent"


def test_coverage_is_appraised_times_one_minus_haircut_rounded_down() -> None:
    assert coverage_value(Money(1_000_000, "CNY"), Decimal("30")) == Money(700_000, "CNY")
    assert coverage_value(Money(333, "CNY"), Decimal("33.33")) == Money(222, "CNY")
    assert coverage_value(Money(500, "CNY"), Decimal("100")) == Money(0, "CNY")


@given(st.integers(0, 10**15), st.decimals(0, 100, places=2))
def test_coverage_never_exceeds_the_appraisal(minor: int, haircut: Decimal) -> None:
    value = coverage_value(Money(minor, "CNY"), haircut).minor
    assert 0 <= value <= minor


def test_forms_follow_the_civil_code() -> None:
    check_form(Form.MORTGAGE, AssetKind.PROPERTY)
    with pytest.raises(DomainError) as refused:
        check_form(Form.PLEDGE, AssetKind.PROPERTY)
    assert refused.value.code == "FORM_NOT_FOR_ASSET"
    with pytest.raises(DomainError):
        check_form(Form.MORTGAGE, AssetKind.DEPOSIT)


def test_reappraisal_warns_then_is_overdue() -> None:
    appraised = date(2026, 1, 15)
    assert reappraisal(appraised, 12, date(2026, 12, 15), 30) is None
    due = reappraisal(appraised, 12, date(2026, 12, 16), 30)
    assert due is not None and due.due_on == date(2027, 1, 15) and not due.overdue
    late = reappraisal(appraised, 12, date(2027, 1, 16), 30)
    assert late is not None and late.overdue
    assert reappraisal(appraised, None, date(2040, 1, 1), 30) is None
