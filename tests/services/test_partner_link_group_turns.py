"""Partner links take the tenant's group-limit turn: a link or unlink committed while a
group limit is approved cannot give a group two anchors (or leave one with no group), and a
link and an approval queued on the turn never deadlock. Real concurrent connections."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from dbschema.provision import plain, with_driver
from domain.errors import DomainError
from services.credit import limit_groups, limits
from services.customers.credit_files import link_partner, unlink_partner
from services.inputs import MoneyIn
from services.uow import Actor, UnitOfWork
from tests.services.credit_limits_helpers import (
    ANALYST,
    MANAGER,
    MANAGER_2,
    TODAY,
    approved_limit,
    customer,
)

ROUNDS = 5
#: How long a racer may take to reach the lock it should wait for (seconds).
PATIENCE = 10.0


def _engine(url: str) -> AsyncEngine:
    """A pool of its own, so each racer holds its own connection."""
    return create_async_engine(with_driver(plain(url), "asyncpg"), pool_size=4, max_overflow=0)


async def _group(runtime: Any, tenant: UUID, code: str) -> tuple[UUID, UUID, UUID]:
    """A parent and its subsidiary: the parent, the child and their link."""
    parent = await customer(runtime, tenant, f"{code}-P")
    child = await customer(runtime, tenant, f"{code}-C")
    async with UnitOfWork(runtime.engine, tenant, ANALYST) as uow:
        relation = await link_partner(uow, parent, child, "SUBSIDIARY", None)
        await uow.commit()
    return parent, child, relation.id


async def _asked(runtime: Any, tenant: UUID, anchor: UUID) -> UUID:
    async with UnitOfWork(runtime.engine, tenant, ANALYST) as uow:
        request = await limits.set_limit(
            uow, anchor, MoneyIn("300000.00", "CNY"), TODAY, None, scope="GROUP", today=TODAY
        )
        await uow.commit()
    return request.id


async def _outcome(
    engine: Any, tenant: UUID, actor: Actor, work: Callable[[UnitOfWork], Awaitable[Any]]
) -> str:
    """The work on a connection of its own, committed: its status, or its refusal's code."""
    try:
        async with UnitOfWork(engine, tenant, actor) as uow:
            result = await work(uow)
            await uow.commit()
    except DomainError as exc:
        return exc.code
    return str(getattr(result, "status", "LINKED"))


def _approving(request_id: UUID) -> Callable[[UnitOfWork], Awaitable[Any]]:
    return lambda uow: limits.approve_limit(uow, request_id, None)


def _linking(one: UUID, other: UUID) -> Callable[[UnitOfWork], Awaitable[Any]]:
    return lambda uow: link_partner(uow, one, other, "SUBSIDIARY", None)


def _waiting(database: Any) -> int:
    """Backends of this test's database waiting for a lock (advisory, row or tuple)."""
    return int(
        database.query(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        )[0][0]
    )


async def _until_waiting(database: Any, task: asyncio.Task[Any], count: int) -> None:
    """Until `count` backends wait for a lock; the racer must not have finished meanwhile
    (had it not waited for the turn, it would have)."""
    deadline = asyncio.get_running_loop().time() + PATIENCE
    while _waiting(database) < count:
        assert not task.done(), f"finished without waiting: {task.result()!r}"
        assert asyncio.get_running_loop().time() < deadline, "never waited for a lock"
        await asyncio.sleep(0.02)
    assert not task.done()


def _anchors(database: Any, *customers: UUID) -> int:
    return int(
        database.query(
            "SELECT count(DISTINCT customer_id) FROM credit_limits WHERE scope = 'GROUP' "
            "AND customer_id = ANY(%s)",
            list(customers),
        )[0][0]
    )


def _links(database: Any, one: UUID, other: UUID) -> int:
    return int(
        database.query(
            "SELECT count(*) FROM customer_relations WHERE customer_id = %s "
            "AND related_customer_id = %s",
            one,
            other,
        )[0][0]
    )


async def test_a_link_waits_for_a_group_limit_approval_under_way(
    settings, runtime, tenants, database
):
    # given two groups, the second with its group limit, the first's awaiting approval
    tenant = tenants["acme"]
    first, first_child, _ = await _group(runtime, tenant, "TW1")
    second, second_child, _ = await _group(runtime, tenant, "TW2")
    await approved_limit(runtime, tenant, second, "400000.00", scope="GROUP")
    request_id = await _asked(runtime, tenant, first)
    engine = _engine(settings.app_database_url)
    try:
        # when the approval is under way (checked, written, not committed) and a link
        # joining the two groups is made meanwhile
        async with UnitOfWork(runtime.engine, tenant, MANAGER) as uow:
            approved = await limits.approve_limit(uow, request_id, None)
            assert approved.status == "APPROVED"
            link = asyncio.create_task(
                _outcome(engine, tenant, ANALYST, _linking(first_child, second_child))
            )
            # then the link waits for the approval's turn
            await _until_waiting(database, link, 1)
            await uow.commit()
        # and, once the approval is in force, is refused: both groups have a group limit
        assert await asyncio.wait_for(link, 60) == "GROUP_LIMIT_EXISTS"
    finally:
        await engine.dispose()
    assert _anchors(database, first, second) == 2
    assert _links(database, first_child, second_child) == 0


async def test_an_approval_waits_for_a_link_under_way(settings, runtime, tenants, database):
    # given two groups, the second with its group limit, the first's awaiting approval
    tenant = tenants["acme"]
    first, first_child, _ = await _group(runtime, tenant, "TW3")
    second, second_child, _ = await _group(runtime, tenant, "TW4")
    await approved_limit(runtime, tenant, second, "400000.00", scope="GROUP")
    request_id = await _asked(runtime, tenant, first)
    engine = _engine(settings.app_database_url)
    try:
        # when a link joining the groups is under way and the request is approved meanwhile
        async with UnitOfWork(runtime.engine, tenant, ANALYST) as uow:
            await link_partner(uow, first_child, second_child, "SUBSIDIARY", None)
            approval = asyncio.create_task(
                _outcome(engine, tenant, MANAGER, _approving(request_id))
            )
            # then the approval waits for the link's turn
            await _until_waiting(database, approval, 1)
            await uow.commit()
        # and, against the links of then, finds the group's limit on the other anchor
        assert await asyncio.wait_for(approval, 60) == "GROUP_LIMIT_EXISTS"
    finally:
        await engine.dispose()
    assert _anchors(database, first, second) == 1
    assert _links(database, first_child, second_child) == 1


async def test_an_approval_waits_for_an_unlink_under_way(settings, runtime, tenants, database):
    # given a group whose group limit awaits approval
    tenant = tenants["acme"]
    parent, _, link = await _group(runtime, tenant, "TW5")
    request_id = await _asked(runtime, tenant, parent)
    engine = _engine(settings.app_database_url)
    try:
        # when the group's one link is being removed and the request approved meanwhile
        async with UnitOfWork(runtime.engine, tenant, ANALYST) as uow:
            await unlink_partner(uow, link)
            approval = asyncio.create_task(
                _outcome(engine, tenant, MANAGER, _approving(request_id))
            )
            await _until_waiting(database, approval, 1)
            await uow.commit()
        # then the approval finds no group left: no group limit on a lone customer
        assert await asyncio.wait_for(approval, 60) == "NO_GROUP"
    finally:
        await engine.dispose()
    assert _anchors(database, parent) == 0


async def test_a_link_and_an_approval_queued_on_the_turn_never_deadlock(
    settings, runtime, tenants, database
):
    """The approval locks its anchor's row (the new limit's key) while it holds the turn; a
    link of that anchor must wait for the turn before it locks the anchor's row, not after."""
    tenant = tenants["acme"]
    first, _, _ = await _group(runtime, tenant, "TW6")
    _, second_child, _ = await _group(runtime, tenant, "TW7")
    request_id = await _asked(runtime, tenant, first)
    engine = _engine(settings.app_database_url)
    try:
        # given the turn held by a third party (another group-limit request, say)
        async with UnitOfWork(runtime.engine, tenant, ANALYST) as holder:
            await limit_groups.take_turns(holder)
            # when the anchor's approval queues for it, then a link of the anchor too
            approval = asyncio.create_task(
                _outcome(engine, tenant, MANAGER, _approving(request_id))
            )
            await _until_waiting(database, approval, 1)
            link = asyncio.create_task(
                _outcome(engine, tenant, ANALYST, _linking(first, second_child))
            )
            await _until_waiting(database, link, 2)
        # then, the turn released, both finish in turn: no deadlock, nothing refused
        outcomes = await asyncio.wait_for(asyncio.gather(approval, link), 60)
    finally:
        await engine.dispose()
    assert outcomes == ["APPROVED", "LINKED"]
    assert _anchors(database, first) == 1


async def test_links_and_approvals_racing_never_give_a_group_two_anchors(
    settings, runtime, tenants, database
):
    tenant = tenants["acme"]
    engine = _engine(settings.app_database_url)
    try:
        for n in range(ROUNDS):
            # given two groups, the second with its group limit, the first's asked for
            first, first_child, _ = await _group(runtime, tenant, f"TR{n}A")
            second, second_child, _ = await _group(runtime, tenant, f"TR{n}B")
            await approved_limit(runtime, tenant, second, "400000.00", scope="GROUP")
            request_id = await _asked(runtime, tenant, first)
            # when the first's limit is approved while a link joins the groups
            outcomes = await asyncio.wait_for(
                asyncio.gather(
                    _outcome(engine, tenant, MANAGER_2, _approving(request_id)),
                    _outcome(engine, tenant, ANALYST, _linking(first_child, second_child)),
                ),
                60,
            )
            # then either the approval or the link is refused: never both anchors joined
            assert outcomes in (
                ["APPROVED", "GROUP_LIMIT_EXISTS"],
                ["GROUP_LIMIT_EXISTS", "LINKED"],
            ), outcomes
            joined = _links(database, first_child, second_child)
            assert _anchors(database, first, second) + joined == 2, outcomes
    finally:
        await engine.dispose()
