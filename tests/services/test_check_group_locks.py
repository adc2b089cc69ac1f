"""Reserving checks on two anchors of one group never deadlock, and never exceed a limit."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from dbschema.provision import plain, with_driver
from dbschema.queries.credit_exposure import begin_check_inline, lock_credit, lock_groups
from services.credit import check
from services.customers.credit_files import link_partner
from services.inputs import MoneyIn
from services.uow import Actor, UnitOfWork
from tests.services.credit_limits_helpers import TODAY, approved_limit, customer

#: Connections the racing checks get at once (the test server allows 100 in all).
CONNECTIONS = 40


def _engine(url: str) -> AsyncEngine:
    """A pool of its own: each racing check on its own connection."""
    return create_async_engine(
        with_driver(plain(url), "asyncpg"), pool_size=CONNECTIONS, max_overflow=0
    )


async def _reserve(
    engine: Any, tenant: UUID, customer_id: UUID, ref: str, amount: str, inline: bool
) -> str:
    """One reserving check on its own connection; `inline` sends the customer's lock with
    BEGIN as the API does, else the service takes it itself."""
    opening = check.opening(tenant, customer_id, True) if inline else ""
    actor = Actor(f"shop-{ref}", frozenset({"sales"}))
    async with UnitOfWork(engine, tenant, actor, opening=opening) as uow:
        result = await check.check_credit(
            uow,
            check.CheckRequest(customer_id, MoneyIn(amount, "CNY"), order_ref=ref, reserve=True),
            TODAY,
        )
        await uow.commit()
    return result.outcome.outcome.value


async def _group(runtime: Any, database: Any, tenant: UUID, prefix: str) -> tuple[UUID, UUID, UUID]:
    """G-P parent of G-S1 and G-S2; group limits of 1,000.00 on G-P and 800.00 on G-S1.

    A second group limit in one group is what data filed before the one-group-limit rule
    leaves (or a link joining two groups): it is filed here as the owner, as a customer limit
    approved through the services and then re-scoped, so the lock order is tested whatever
    the rules of filing say."""
    parent = await customer(runtime, tenant, f"{prefix}-P")
    first = await customer(runtime, tenant, f"{prefix}-S1")
    second = await customer(runtime, tenant, f"{prefix}-S2")
    async with UnitOfWork(runtime.engine, tenant, Actor("ana")) as uow:
        await link_partner(uow, parent, first, "SUBSIDIARY", None)
        await link_partner(uow, parent, second, "SUBSIDIARY", None)
        await uow.commit()
    for member in (parent, first, second):
        await approved_limit(runtime, tenant, member, "5000.00")
    await approved_limit(runtime, tenant, parent, "1000.00", scope="GROUP")
    second_anchor = await approved_limit(runtime, tenant, first, "800.00")
    for table in ("credit_limit_requests", "credit_limits"):
        key = "id" if table == "credit_limit_requests" else "request_id"
        database.query(f"UPDATE {table} SET scope = 'GROUP' WHERE {key} = %s", second_anchor.id)
    return parent, first, second


async def test_two_group_limits_racing_checks_on_both_anchors(settings, runtime, tenants, database):
    # given: a group with two group limits, anchored on G-P (1,000.00) and G-S1 (800.00)
    tenant = tenants["acme"]
    parent, first, second = await _group(runtime, database, tenant, "GL")
    assert database.query(
        "SELECT customer_id, amount_minor FROM credit_limits WHERE scope = 'GROUP' "
        "ORDER BY amount_minor"
    ) == [(first, 80_000), (parent, 100_000)]
    engine = _engine(settings.app_database_url)

    async def race(checks: list[tuple[UUID, str, bool]]) -> list[Any]:
        """Checks of 20.00 (customer, order ref, lock with BEGIN) at once; errors returned."""
        tasks = [_reserve(engine, tenant, c, ref, "20.00", inline) for c, ref, inline in checks]
        return await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 60)

    try:
        # when: 15 rounds of 4 checks reserve at once, alternating the two anchors (half with
        # the lock sent with BEGIN, as the API does), then a round of 36 over all three
        outcomes: list[Any] = []
        for r in range(15):
            anchors = [(parent if n % 2 else first, f"SO-{r}-{n}", n < 2) for n in range(4)]
            outcomes += await race(anchors)
        members = (parent, first, second)
        outcomes += await race([(members[n % 3], f"SO-X-{n}", n % 2 == 0) for n in range(36)])
    finally:
        await engine.dispose()
    # then: no check failed; the group holds exactly the tighter group limit (800.00)
    errors = [repr(o) for o in outcomes if isinstance(o, BaseException)]
    assert errors == []
    assert outcomes.count("APPROVED") == 40
    assert outcomes.count("PREPAYMENT_REQUIRED") == 56
    assert database.query(
        "SELECT count(*), sum(amount_minor) FROM credit_reservations WHERE status = 'ACTIVE'"
    ) == [(40, 80_000)]


async def test_a_group_lock_is_not_its_anchors_customer_lock(settings, runtime, tenants):
    """A group lock lives in a namespace of its own: holding an anchor's group lock leaves the
    anchor's customer lock free (so a check on the anchor can take it first, as every check
    does), while a second holder of the group lock waits."""
    tenant = tenants["acme"]
    anchor = await customer(runtime, tenant, "GL-LOCK")
    async with UnitOfWork(runtime.engine, tenant) as holding:
        await lock_groups(holding.conn, tenant, [anchor])
        async with UnitOfWork(runtime.engine, tenant) as other:
            await other.conn.execute(text("SET LOCAL lock_timeout = '200ms'"))
            await lock_credit(other.conn, tenant, [anchor])  # free: no wait
        async with UnitOfWork(
            runtime.engine, tenant, opening=begin_check_inline(tenant, [anchor], False)
        ):
            pass  # the lock a check sends with BEGIN is free too
        async with UnitOfWork(runtime.engine, tenant) as other:
            await other.conn.execute(text("SET LOCAL lock_timeout = '200ms'"))
            try:
                await lock_groups(other.conn, tenant, [anchor])
            except Exception as exc:  # the driver's LockNotAvailableError
                refused = type(exc).__name__
            else:
                refused = "nothing"
    assert refused == "LockNotAvailableError"
