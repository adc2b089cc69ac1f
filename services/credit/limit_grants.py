"""What an application granted beside its limit, applied when that limit is approved.

An application's grant files a limit request (basis APPLICATION) that the tenant's matrix
still has to approve. The agreed terms are part of the same grant, so they take effect with
the limit, never before it: a rejected (or never approved) limit leaves the customer's terms
as they were, and nothing has to be undone. The change is audited like any terms change.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.credit_application_tables import credit_applications
from services.customers.master_data import set_credit_terms
from services.uow import UnitOfWork


async def granted_terms(uow: UnitOfWork, request_id: UUID) -> tuple[UUID, str] | None:
    """The customer and terms code of the application whose grant filed this request."""
    row: Any = (
        await uow.conn.execute(
            sa.select(credit_applications.c.customer_id, credit_applications.c.granted).where(
                credit_applications.c.limit_request_id == request_id
            )
        )
    ).first()
    code = (row.granted or {}).get("termsCode") if row is not None else None
    return (row.customer_id, str(code)) if code else None


async def apply_with_limit(uow: UnitOfWork, request: dict[str, Any]) -> None:
    """Set the terms an application granted, now that the limit it filed is approved."""
    if request["basis"] != "APPLICATION":
        return
    found = await granted_terms(uow, request["id"])
    if found is not None:
        customer_id, code = found
        await set_credit_terms(uow, customer_id, None, payment_terms_code=code)
