"""A credit check's input as the domain tests build it: one active class-B customer ordering
under SO-1 with a reservation, on the practice's default policy; each test module names only
its amounts, limits and exposure (and whatever else its case changes)."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.credit.check import CheckInput
from domain.credit.class_policy import effective

DAY = date(2026, 6, 30)  #: the day every case is checked on
COMMON: dict[str, Any] = {
    "as_of": DAY,
    "customer_id": "c1",
    "customer_status": "ACTIVE",
    "rating_class": "B",
    "hold_reason": None,
    "order_ref": "SO-1",
    "reserve": True,
    "policy": effective({}),
}


def check_case(**fields: Any) -> CheckInput:
    """The common case with `fields` set (amount, limits and exposure at least)."""
    return CheckInput(**{**COMMON, **fields})
