"""A group has one group limit, checked again at approval: groups joined by a partner link
(or a group dissolved) between request and approval are caught, racing approvals too."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from dbschema.provision import plain, with_driver
from domain.errors import DomainError
from services.credit import limits
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


async def _link(runtime: Any, tenant: UUID, one: UUID, other: UUID) -> UUID:
    async with UnitOfWork(runtime.engine, tenant, ANALYST) as uow:
        relation = await link_partner(uow, one, other, "SUBSIDIARY", None)
        await uow.commit()
    return relation.id


async def _group(runtime: Any, tenant: UUID, code: str) -> tuple[UUID, UUID, UUID]:
    """A parent and its subsidiary: the parent, the child and their link."""
    parent = await customer(runtime, tenant, f"{code}-P")
    child = await customer(runtime, tenant, f"{code}-C")
    return parent, child, await _link(runtime, tenant, parent, child)


async def _asked(runtime: Any, tenant: UUID, anchor: UUID, amount: str = "300000.00") -> UUID:
    async with UnitOfWork(runtime.engine, tenant, ANALYST) as uow:
        request = await limits.set_limit(
            uow, anchor, MoneyIn(amount, "CNY"), TODAY, None, scope="GROUP", today=TODAY
        )
        await uow.commit()
    return request.id


async def _approve(engine: Any, tenant: UUID, actor: Actor, request_id: UUID) -> str:
    try:
        async with UnitOfWork(engine, tenant, actor) as uow:
            result = await limits.approve_limit(uow, request_id, None)
            await uow.commit()
    except DomainError as exc:
        return exc.code
    return str(result.status)


def _nothing_written(database: Any, request_id: UUID) -> None:
    assert database.query("SELECT status FROM credit_limit_requests WHERE id = %s", request_id) == [
        ("PENDING",)
    ]
    for table, column in (
        ("credit_limit_approvals", "request_id"),
        ("credit_limits", "request_id"),
        ("credit_decisions", "subject_id"),
    ):
        assert database.query(f"SELECT count(*) FROM {table} WHERE {column} = %s", request_id) == [
            (0,)
        ], table


async def test_groups_joined_after_the_request_are_caught_at_approval(runtime, tenants, database):
    # given two groups, the second with its group limit in force, and a group limit asked
    # for the first while they were apart
    tenant = tenants["acme"]
    first, first_child, _ = await _group(runtime, tenant, "GJ1")
    second, second_child, _ = await _group(runtime, tenant, "GJ2")
    await approved_limit(runtime, tenant, second, "400000.00", scope="GROUP")
    request_id = await _asked(runtime, tenant, first)
    events = database.query("SELECT count(*) FROM events")
    # when a partner link joins the two groups, then the request is approved
    await _link(runtime, tenant, first_child, second_child)
    with pytest.raises(DomainError) as exc:
        async with UnitOfWork(runtime.engine, tenant, MANAGER) as uow:
            await limits.approve_limit(uow, request_id, None)
            await uow.commit()
    # then it is refused, naming the group's anchor, and nothing of it was written
    assert (exc.value.code, exc.value.field) == ("GROUP_LIMIT_EXISTS", "id")
    assert "GJ2-P" in exc.value.message and "valid from" in exc.value.message
    _nothing_written(database, request_id)
    assert database.query("SELECT count(*) FROM events") == events


async def test_of_two_group_requests_joined_the_first_approved_is_the_anchor(
    runtime, tenants, database
):
    # given a group limit asked for each of two groups while they were apart
    tenant = tenants["acme"]
    first, first_child, _ = await _group(runtime, tenant, "GJ3")
    second, _, _ = await _group(runtime, tenant, "GJ4")
    asked_first = await _asked(runtime, tenant, first)
    asked_second = await _asked(runtime, tenant, second)
    # when the groups are joined: a request awaiting approval does not block the other's
    # approval (else neither could ever be approved), but the first one in force does
    await _link(runtime, tenant, first_child, second)
    assert await _approve(runtime.engine, tenant, MANAGER, asked_second) == "APPROVED"
    assert await _approve(runtime.engine, tenant, MANAGER, asked_first) == "GROUP_LIMIT_EXISTS"
    _nothing_written(database, asked_first)
    # once the refused request is rejected (as its refusal says), the anchor in force may
    # change its own group limit
    async with UnitOfWork(runtime.engine, tenant, MANAGER) as uow:
        await limits.reject_limit(uow, asked_first, "the group's limit is on GJ4-P")
        await uow.commit()
    renewed = await _asked(runtime, tenant, second, "350000.00")
    assert await _approve(runtime.engine, tenant, MANAGER_2, renewed) == "APPROVED"


async def test_a_group_dissolved_after_the_request_has_no_group_limit(runtime, tenants, database):
    tenant = tenants["acme"]
    parent, _, link = await _group(runtime, tenant, "GJ5")
    request_id = await _asked(runtime, tenant, parent)
    async with UnitOfWork(runtime.engine, tenant, ANALYST) as uow:
        await unlink_partner(uow, link)
        await uow.commit()
    assert await _approve(runtime.engine, tenant, MANAGER, request_id) == "NO_GROUP"
    _nothing_written(database, request_id)


def _engine(url: str) -> AsyncEngine:
    """A pool of its own, so each racer holds its own connection."""
    return create_async_engine(with_driver(plain(url), "asyncpg"), pool_size=4, max_overflow=0)


async def test_two_approvals_in_groups_just_joined_one_wins(settings, runtime, tenants, database):
    tenant = tenants["acme"]
    engine = _engine(settings.app_database_url)
    try:
        for n in range(ROUNDS):
            # given a group limit asked for each of two groups, then a link joining them
            first, first_child, _ = await _group(runtime, tenant, f"GR{n}A")
            second, second_child, _ = await _group(runtime, tenant, f"GR{n}B")
            asked = [await _asked(runtime, tenant, first), await _asked(runtime, tenant, second)]
            await _link(runtime, tenant, first_child, second_child)
            # when two managers approve them at once
            outcomes = await asyncio.wait_for(
                asyncio.gather(
                    _approve(engine, tenant, MANAGER, asked[0]),
                    _approve(engine, tenant, MANAGER_2, asked[1]),
                ),
                60,
            )
            # then one group limit is in force and the other refused: never two anchors
            assert sorted(outcomes) == ["APPROVED", "GROUP_LIMIT_EXISTS"], outcomes
            assert database.query(
                "SELECT count(*) FROM credit_limits WHERE scope = 'GROUP' "
                "AND customer_id IN (%s, %s)",
                first,
                second,
            ) == [(1,)]
    finally:
        await engine.dispose()
