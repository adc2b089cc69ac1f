"""ADAPTER, TO BE WIRED AT MERGE: part B's figures for the waterfall (insurance, factoring).

Part B (branch s11-transfer) provides, per customer and currency in minor units on `as_of`:
  services.risk.insurance_clock.insured_parts(session, customer_ids, as_of): the insurer's
      indemnity share of the insured open amount within the cover, after the deductible
      (insured_open_amounts gives the covered amount before the indemnity %);
  services.risk.factoring_ledger.non_recourse_open_amounts(session, customer_ids, as_of).
Until both branches are merged these return nothing, so the waterfall's insurance and
factoring layers are empty. At merge, replace each body with a call to part B's read.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

#: per customer, per currency: minor units
Figures = dict[UUID, dict[str, int]]


async def insured_parts(session: Any, customer_ids: list[UUID], as_of: date) -> Figures:
    """What the insurer would pay on each customer's insured open amounts (part B)."""
    del session, customer_ids, as_of  # MERGE: return await insurance_clock.insured_parts(...)
    return {}


async def non_recourse_open_amounts(session: Any, customer_ids: list[UUID], as_of: date) -> Figures:
    """Each customer's open amounts sold to a factor without recourse (part B)."""
    del session, customer_ids, as_of  # MERGE: return await factoring_ledger.non_recourse_...
    return {}
