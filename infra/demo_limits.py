"""Approved credit limits and held classes for demo customers, so the README's
reserve-then-confirm example answers APPROVED with a reservation on a fresh `make run`.

Each limit goes through the service `requestCreditLimit` and `approveCreditLimit` use: asked
by a demo analyst and approved by as many distinct demo managers as the tenant's matrix asks
(four eyes, audited, a decision that replays). The demo's thin credit files would score
these customers D at the scheduler's first rescoring, so their class is a manager's override
approved by a second one (as `requestClassOverride` and `decideClassOverride` do), which
rescoring respects until the class's next review. Whatever exists already is left alone.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

import sqlalchemy as sa

from dbschema.credit_analysis_tables import class_overrides
from dbschema.credit_limit_tables import credit_limit_requests
from infra.runtime import Runtime
from services.credit import limits, overrides
from services.customers import master_data as customers
from services.inputs import MoneyIn
from services.uow import Actor, UnitOfWork

#: Customer code, its held class and its standard limit, in CNY (the demo's base currency).
DEMO_LIMITS: dict[str, tuple[str, str]] = {
    "C-1003": ("A", "500000.00"),
    "B-2001": ("B", "300000.00"),
}
ANALYST = Actor("demo-analyst", frozenset({"credit_analyst"}))
MANAGERS = (
    Actor("demo-manager-1", frozenset({"credit_manager"})),
    Actor("demo-manager-2", frozenset({"credit_manager"})),
)


async def load_demo_limits(runtime: Runtime, tenant_id: UUID | str) -> int:
    """Request and approve each demo limit the tenant's customers lack; how many were set."""
    today = date.today()
    added = 0
    for code, (rating, amount) in DEMO_LIMITS.items():
        async with UnitOfWork(runtime.engine, tenant_id, ANALYST) as uow:
            customer = await customers.find_by_code(uow, code)
            if customer is None or await _has_request(uow, customer.id):
                continue
        await _hold_class(runtime, tenant_id, customer.id, rating, today)
        async with UnitOfWork(runtime.engine, tenant_id, ANALYST) as uow:
            request = await limits.set_limit(
                uow, customer.id, MoneyIn(amount, "CNY"), today, None,
                note="demo data", today=today,
            )  # fmt: skip
            await uow.commit()
        for manager in MANAGERS:
            async with UnitOfWork(runtime.engine, tenant_id, manager) as uow:
                view = await limits.approve_limit(uow, request.id, "demo data")
                await uow.commit()
            if view.status != "PENDING":
                break
        added += 1
    return added


async def _hold_class(
    runtime: Runtime, tenant_id: UUID | str, customer_id: UUID, rating: str, today: date
) -> None:
    """The demo's class as an override one manager asks for and, for an upgrade, another
    approves; none is asked when the customer has one already."""
    async with UnitOfWork(runtime.engine, tenant_id, MANAGERS[0]) as uow:
        if await uow.conn.scalar(
            sa.select(sa.exists().where(class_overrides.c.customer_id == customer_id))
        ):
            return
        asked = await overrides.request_override(
            uow, customer_id, rating, "demo data: the class the demo shows", None, today
        )
        await uow.commit()
    if asked.override.status == "PENDING":
        async with UnitOfWork(runtime.engine, tenant_id, MANAGERS[1]) as uow:
            await overrides.decide_override(uow, asked.override.id, True, "demo data", today)
            await uow.commit()


async def _has_request(uow: UnitOfWork, customer_id: UUID) -> bool:
    """Whether a limit was ever asked for the customer (a rerun asks for nothing)."""
    found = await uow.conn.scalar(
        sa.select(sa.exists().where(credit_limit_requests.c.customer_id == customer_id))
    )
    return bool(found)
