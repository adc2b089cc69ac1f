"""The escalation ladder and reminder window."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.escalation import (
    DEFAULT_LADDER,
    Stage,
    escalation_stage,
    reminder_due,
    stage_index,
    validate_ladder,
)


@pytest.mark.parametrize(
    ("days", "key"),
    [
        (0, None),
        (1, "SALES_CALL"),
        (30, "SALES_CALL"),
        (31, "CREDIT_MANAGER"),
        (60, "CREDIT_MANAGER"),
        (61, "LAWYER_LETTER"),
        (90, "LAWYER_LETTER"),
        (91, "LITIGATION"),
        (900, "LITIGATION"),
    ],
)
def test_default_ladder(days, key):
    stage = escalation_stage(days)
    assert (stage.key if stage else None) == key


@given(st.integers(-30, 2000), st.integers(-30, 2000))
def test_stage_never_goes_down_as_days_grow(a, b):
    low, high = sorted((a, b))
    assert stage_index(escalation_stage(low)) <= stage_index(escalation_stage(high))


def test_reminder_window():
    due = date(2026, 12, 10)
    assert not reminder_due(due, due - timedelta(days=8))
    assert reminder_due(due, due - timedelta(days=7))
    assert reminder_due(due, due - timedelta(days=1))
    assert not reminder_due(due, due)


def test_ladder_validation():
    assert validate_ladder(DEFAULT_LADDER) == DEFAULT_LADDER
    with pytest.raises(DomainError):
        validate_ladder([Stage("A", 1, 10, "sales", "x"), Stage("B", 12, None, "legal", "y")])


def test_ladder_stages_need_a_real_owner_and_an_action():
    with pytest.raises(DomainError) as unknown:
        validate_ladder([Stage("A", 1, None, "janitor", "sweep")])
    assert unknown.value.field == "0.ownerRole"
    with pytest.raises(DomainError):
        validate_ladder([Stage("A", 1, None, "legal", " ")])
