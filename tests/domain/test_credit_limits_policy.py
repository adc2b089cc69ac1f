"""Class policy: the practice's defaults, overrides validated as a whole, null resets."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.class_policy import (
    OrderHandling,
    Security,
    effective,
    merge,
    review_interval_months,
)
from domain.credit.policy_snapshot import from_json, to_json
from domain.errors import ValidationFailed


def test_defaults_are_the_source_practice() -> None:
    policy = effective({})
    assert [review_interval_months(policy, c) for c in "ABCD"] == [12, 6, 3, 1]
    assert [policy.for_class(c).order_handling for c in "ABCD"] == [
        OrderHandling.STANDARD,
        OrderHandling.STANDARD,
        OrderHandling.CLOSE_TRACKING,
        OrderHandling.PREPAYMENT,
    ]
    assert [policy.for_class(c).payment_terms_code for c in "ABCD"] == [
        "CLASS_A",
        "CLASS_B",
        "CLASS_C",
        "CLASS_D",
    ]
    assert policy.for_class("C").reminder_days_before_due == 14
    assert policy.for_class("C").required_security == Security.THIRD_PARTY_GUARANTEE
    assert (policy.overdue_review_days, policy.overdue_block_days) == (30, 90)
    assert policy.base_currency == "CNY" and policy.version == 0 and policy.overridden == ()


def test_an_override_changes_one_value_and_null_restores_the_default() -> None:
    stored = merge({}, {"classes": {"C": {"reviewIntervalMonths": 2}}, "overdueBlockDays": 60})
    policy = effective(stored, 3)
    assert review_interval_months(policy, "C") == 2
    assert policy.for_class("C").limit_factor == Decimal("0.40")
    assert policy.overdue_block_days == 60 and policy.version == 3
    assert policy.overridden == ("overdueBlockDays", "classes")
    reset = merge(
        stored, {"classes": {"C": {"reviewIntervalMonths": None}}, "overdueBlockDays": None}
    )
    assert reset == {}
    assert effective(reset) == effective({})


def test_an_inconsistent_policy_is_refused_as_a_whole() -> None:
    with pytest.raises(ValidationFailed) as refused:
        effective(
            {
                "overdueReviewDays": 120,
                "approvalMatrix": {"analystUpTo": "5000000", "managerUpTo": "x"},
                "classes": {"B": {"limitFactor": "1.5", "orderHandling": "SOMETIMES"}},
                "baseCurrency": "EURO",
                "groupRelationKinds": ["PARENT", "FRIEND"],
            }
        )
    assert sorted(e.field for e in refused.value.errors) == [
        "approvalMatrix.analystUpTo",  # above the manager's (default) authority
        "approvalMatrix.managerUpTo",
        "baseCurrency",
        "classB.orderHandling",
        "groupRelationKinds",
        "overdueReviewDays",
    ]


def test_a_worse_class_cannot_earn_a_higher_limit_factor() -> None:
    with pytest.raises(ValidationFailed) as refused:
        effective({"classes": {"C": {"limitFactor": "0.90"}}})
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("classC.limitFactor", "INVALID_POLICY")
    ]


@given(
    months=st.integers(min_value=1, max_value=36),
    factor=st.decimals(min_value=Decimal(0), max_value=Decimal("0.40"), places=2),
    block=st.integers(min_value=30, max_value=3650),
)
def test_a_snapshot_restores_the_policy_exactly(months: int, factor: Decimal, block: int) -> None:
    policy = effective(
        {
            "classes": {"C": {"reviewIntervalMonths": months, "limitFactor": str(factor)}},
            "overdueBlockDays": block,
        },
        7,
    )
    restored = from_json(to_json(policy))
    assert to_json(restored) == to_json(policy)
