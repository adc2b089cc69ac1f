"""Registrations of one order racing on real connections: one creates it, the others replay it
(however the amount is written), its reservation is confirmed once, and another customer's
registration under the same reference is refused without a write."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from dbschema.provision import plain, with_driver
from domain.errors import DomainError
from services.credit import orders
from services.credit.orders import OrderIn
from services.inputs import MoneyIn
from services.uow import Actor, UnitOfWork
from tests.services.credit_limits_helpers import TODAY, approved_limit, customer, run_check

SPELLINGS = ("250", "250.0", "250.00", "+250.000", "0250")


def _engine(url: str) -> AsyncEngine:
    """A pool of its own, so each registration runs on its own connection."""
    return create_async_engine(with_driver(plain(url), "asyncpg"), pool_size=12, max_overflow=0)


async def _register(
    engine: Any, tenant: UUID, customer_id: UUID, ref: str, amount: str
) -> tuple[UUID, bool] | str:
    """One registration, committed: the order's id and whether it replayed, else the code."""
    try:
        async with UnitOfWork(engine, tenant, Actor("erp", frozenset({"integrator"}))) as uow:
            view, replayed = await orders.create_order(
                uow, OrderIn(ref, customer_id, MoneyIn(amount, "CNY"), None), TODAY
            )
            await uow.commit()
    except DomainError as exc:
        return exc.code
    return view.id, replayed


async def test_racing_registrations_of_one_order_create_it_once(
    settings, runtime, tenants, database
):
    # given: a limit and a live reservation under the order's reference
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "RACE-O1")
    await approved_limit(runtime, tenant, cid, "1000.00")
    held = await run_check(runtime, tenant, cid, "250.00", order_ref="SO-R-1", reserve=True)
    assert held.reservation is not None
    engine = _engine(settings.app_database_url)
    try:
        # when: ten registrations of the same order, the amount written five ways, race
        answers = await asyncio.wait_for(
            asyncio.gather(
                *[_register(engine, tenant, cid, "SO-R-1", SPELLINGS[n % 5]) for n in range(10)]
            ),
            60,
        )
    finally:
        await engine.dispose()
    # then: one created it, nine replayed it; it and its reservation were written once
    assert all(isinstance(a, tuple) for a in answers), answers
    ids = {a[0] for a in answers if isinstance(a, tuple)}
    assert [a[1] for a in answers if isinstance(a, tuple)].count(False) == 1
    assert len(ids) == 1
    (order_id,) = ids
    assert database.query("SELECT id, amount_minor, ordered_on FROM sales_orders") == [
        (order_id, 25_000, TODAY)
    ]
    assert database.query("SELECT id, status, order_id FROM credit_reservations") == [
        (held.reservation.id, "CONFIRMED", order_id)
    ]
    assert database.query("SELECT count(*) FROM audit_log WHERE entity_type = 'SalesOrder'") == [
        (1,)
    ]


async def test_two_customers_racing_for_one_reference_one_wins(
    settings, runtime, tenants, database
):
    # given: two customers (their credit locks do not serialise each other)
    tenant = tenants["acme"]
    first = await customer(runtime, tenant, "RACE-O2")
    second = await customer(runtime, tenant, "RACE-O3")
    engine = _engine(settings.app_database_url)
    try:
        # when: both register SO-R-2 at once
        answers = await asyncio.wait_for(
            asyncio.gather(
                _register(engine, tenant, first, "SO-R-2", "10.00"),
                _register(engine, tenant, second, "SO-R-2", "10.00"),
            ),
            60,
        )
    finally:
        await engine.dispose()
    # then: one created it; the other is told the reference holds other content
    assert sorted(str(a) if isinstance(a, str) else "created" for a in answers) == [
        "IDEMPOTENCY_MISMATCH",
        "created",
    ]
    assert database.query("SELECT count(*) FROM sales_orders WHERE order_ref = 'SO-R-2'") == [(1,)]
    assert database.query("SELECT count(*) FROM audit_log WHERE entity_type = 'SalesOrder'") == [
        (1,)
    ]
