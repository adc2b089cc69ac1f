"""Reservations racing on real connections never exceed the headroom, and never deadlock."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from dbschema.provision import plain, with_driver
from services.credit import check
from services.customers.credit_files import link_partner
from services.inputs import MoneyIn
from services.uow import Actor, UnitOfWork
from tests.services.credit_limits_helpers import TODAY, approved_limit, customer

#: Connections the racing checks get at once (the test server allows 100 in all).
CONNECTIONS = 60


def _engine(url: str) -> AsyncEngine:
    """A pool of its own: each racing check on its own connection, up to CONNECTIONS."""
    return create_async_engine(
        with_driver(plain(url), "asyncpg"), pool_size=CONNECTIONS, max_overflow=0
    )


async def _reserve(engine: Any, tenant: UUID, customer_id: UUID, n: int, amount: str) -> str:
    async with UnitOfWork(engine, tenant, Actor(f"shop-{n}", frozenset({"sales"}))) as uow:
        result = await check.check_credit(
            uow,
            check.CheckRequest(
                customer_id, MoneyIn(amount, "CNY"), order_ref=f"SO-{n}", reserve=True
            ),
            TODAY,
        )
        await uow.commit()
    return result.outcome.outcome.value


async def test_a_hundred_reservations_against_one_customer(settings, runtime, tenants, database):
    # given: a limit of 1,000.00 and nothing owed
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "RACE-1")
    await approved_limit(runtime, tenant, cid, "1000.00")
    engine = _engine(settings.app_database_url)
    try:
        # when: 100 checks of 30.00 each reserve at once on their own connections
        outcomes = await asyncio.wait_for(
            asyncio.gather(*[_reserve(engine, tenant, cid, n, "30.00") for n in range(100)]),
            120,
        )
    finally:
        await engine.dispose()
    # then: 33 fit whole, one takes the last 10.00, the rest are asked to prepay
    assert outcomes.count("APPROVED") == 33
    assert outcomes.count("PREPAYMENT_REQUIRED") == 67
    assert database.query(
        "SELECT count(*), sum(amount_minor) FROM credit_reservations WHERE status = 'ACTIVE'"
    ) == [(34, 100_000)]
    assert database.query("SELECT count(*) FROM credit_decisions WHERE kind = 'CREDIT_CHECK'") == [
        (100,)
    ]


async def test_reservations_on_two_group_members_share_the_group_limit(
    settings, runtime, tenants, database
):
    # given: a parent and a subsidiary, each with 1,000.00, and a group limit of 1,200.00
    tenant = tenants["acme"]
    parent = await customer(runtime, tenant, "GRP-P")
    child = await customer(runtime, tenant, "GRP-C")
    async with UnitOfWork(runtime.engine, tenant, Actor("ana")) as uow:
        await link_partner(uow, parent, child, "SUBSIDIARY", None)
        await uow.commit()
    await approved_limit(runtime, tenant, parent, "1000.00")
    await approved_limit(runtime, tenant, child, "1000.00")
    await approved_limit(runtime, tenant, parent, "1200.00", scope="GROUP")
    engine = _engine(settings.app_database_url)
    try:
        # when: 40 reservations of 50.00 alternate between the two at once
        await asyncio.wait_for(
            asyncio.gather(
                *[
                    _reserve(engine, tenant, parent if n % 2 else child, n, "50.00")
                    for n in range(40)
                ]
            ),
            120,
        )
    finally:
        await engine.dispose()
    # then: the group holds exactly its limit, neither member more than its own
    rows = dict(
        database.query(
            "SELECT customer_id, sum(amount_minor) FROM credit_reservations "
            "WHERE status = 'ACTIVE' GROUP BY customer_id"
        )
    )
    assert sum(rows.values()) == 120_000
    assert all(v <= 100_000 for v in rows.values())


async def test_a_checks_lock_and_an_orders_lock_are_the_same_lock(settings, runtime, tenants):
    """The lock a reserving check takes (inline, with BEGIN) is the one order registration
    takes through LOCK_SQL: while a check holds it, the other waits."""
    from sqlalchemy import text

    from dbschema.queries.credit_exposure import begin_check_inline, lock_credit

    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "LOCK-1")
    holding = UnitOfWork(runtime.engine, tenant, opening=begin_check_inline(tenant, [cid], False))
    async with holding:
        async with UnitOfWork(runtime.engine, tenant) as other:
            await other.conn.execute(text("SET LOCAL lock_timeout = '200ms'"))
            try:
                await lock_credit(other.conn, tenant, [cid])
            except Exception as exc:  # the driver's LockNotAvailableError
                refused = type(exc).__name__
            else:
                refused = "nothing"
    assert refused == "LockNotAvailableError"
    async with UnitOfWork(runtime.engine, tenant) as other:  # released with the transaction
        await lock_credit(other.conn, tenant, [cid])
