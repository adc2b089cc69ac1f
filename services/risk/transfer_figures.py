"""What insurance and factoring take off a customer's risk, for the waterfall: the insurer's
share of the insured open amount and the open amount sold without recourse.

One place where the waterfall (guarantees and collateral) meets the insurance clock and the
factoring ledger, so neither imports the other's capability.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from services.risk import factoring_ledger, insurance_clock

#: per customer, per currency: minor units
Figures = dict[UUID, dict[str, int]]


async def insured_parts(session: Any, customer_ids: list[UUID], as_of: date) -> Figures:
    """What the insurer would pay on each customer's insured open amounts: its indemnity
    percentage of the covered amount after the deductible."""
    return await insurance_clock.insured_parts(session, customer_ids, as_of)


async def non_recourse_open_amounts(session: Any, customer_ids: list[UUID], as_of: date) -> Figures:
    """Each customer's open amounts sold to a factor without recourse: the factor's risk."""
    return await factoring_ledger.non_recourse_open_amounts(session, customer_ids, as_of)
