"""Limit requests racing on real connections: two approvals of one customer's requests, or
two group limits in one group, never both pass."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from dbschema.provision import plain, with_driver
from domain.errors import DomainError
from services.credit import limits
from services.customers.credit_files import link_partner
from services.inputs import MoneyIn
from services.uow import Actor, UnitOfWork
from tests.services.credit_limits_helpers import ANALYST, MANAGER, MANAGER_2, TODAY, customer

ROUNDS = 5


def _engine(url: str) -> AsyncEngine:
    """A pool of its own, so each racer holds its own connection."""
    return create_async_engine(with_driver(plain(url), "asyncpg"), pool_size=4, max_overflow=0)


async def _filed(runtime: Any, tenant: UUID, cid: UUID, amount: str, scope: str) -> UUID:
    async with UnitOfWork(runtime.engine, tenant, ANALYST) as uow:
        request = await limits.set_limit(
            uow, cid, MoneyIn(amount, "CNY"), TODAY, None, scope=scope, today=TODAY
        )
        await uow.commit()
    return request.id


async def _outcome(engine: Any, tenant: UUID, actor: Actor, work: Any) -> str:
    try:
        async with UnitOfWork(engine, tenant, actor) as uow:
            result = await work(uow)
            await uow.commit()
    except DomainError as exc:
        return exc.code
    return str(result.status)


def _approving(request_id: UUID) -> Any:
    return lambda uow: limits.approve_limit(uow, request_id, None)


async def test_two_approvals_of_one_customers_requests_one_wins(
    settings, runtime, tenants, database
):
    tenant = tenants["acme"]
    engine = _engine(settings.app_database_url)
    try:
        for n in range(ROUNDS):
            # given a raise and a cut of one customer, both pending
            cid = await customer(runtime, tenant, f"RACE-L{n}")
            raise_ = await _filed(runtime, tenant, cid, "200000.00", "CUSTOMER")
            cut = await _filed(runtime, tenant, cid, "50000.00", "CUSTOMER")
            # when two managers approve them at once
            outcomes = await asyncio.wait_for(
                asyncio.gather(
                    _outcome(engine, tenant, MANAGER, _approving(raise_)),
                    _outcome(engine, tenant, MANAGER_2, _approving(cut)),
                ),
                60,
            )
            # then one is in force and the other refused as stale: never both
            assert sorted(outcomes) == ["APPROVED", "STALE_REQUEST"], outcomes
            assert database.query(
                "SELECT count(*) FROM credit_limits WHERE customer_id = %s", cid
            ) == [(1,)]
            assert database.query(
                "SELECT count(*) FROM credit_limit_approvals a JOIN credit_limit_requests q "
                "ON q.id = a.request_id WHERE q.customer_id = %s",
                cid,
            ) == [(1,)]
    finally:
        await engine.dispose()


async def test_two_group_limits_asked_at_once_in_one_group_one_is_filed(
    settings, runtime, tenants, database
):
    tenant = tenants["acme"]
    engine = _engine(settings.app_database_url)
    try:
        for n in range(ROUNDS):
            # given a parent and its subsidiary
            parent = await customer(runtime, tenant, f"RACE-P{n}")
            child = await customer(runtime, tenant, f"RACE-C{n}")
            async with UnitOfWork(runtime.engine, tenant, ANALYST) as uow:
                await link_partner(uow, parent, child, "SUBSIDIARY", None)
                await uow.commit()

            def ask(cid: UUID) -> Any:
                return lambda u: limits.set_limit(
                    u, cid, MoneyIn("300000.00", "CNY"), TODAY, None, scope="GROUP", today=TODAY
                )

            # when a group limit is asked on each at once
            outcomes = await asyncio.wait_for(
                asyncio.gather(
                    _outcome(engine, tenant, ANALYST, ask(parent)),
                    _outcome(engine, tenant, ANALYST, ask(child)),
                ),
                60,
            )
            # then one is filed and the other refused: the group has one anchor
            assert sorted(outcomes) == ["GROUP_LIMIT_EXISTS", "PENDING"], outcomes
            assert database.query(
                "SELECT count(*) FROM credit_limit_requests WHERE scope = 'GROUP' "
                "AND customer_id IN (%s, %s)",
                parent,
                child,
            ) == [(1,)]
    finally:
        await engine.dispose()
