"""A check never ends another customer's hold: a reference another customer holds live is
ORDER_REF_TAKEN (nothing logged or held), and the hold stays, checked in the database."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.errors import DomainError
from services.credit import check, orders
from services.credit.orders import OrderIn
from services.customers.credit_files import link_partner
from services.inputs import MoneyIn
from services.uow import Actor, UnitOfWork
from tests.services.credit_limits_helpers import (
    SALES,
    TODAY,
    approved_limit,
    customer,
    run_check,
)


def _holds(database: Any, ref: str) -> list[tuple[Any, ...]]:
    """(customer, status, amount, closed) of every reservation under `ref`, oldest first."""
    return database.query(
        "SELECT customer_id, status, amount_minor, closed_at IS NOT NULL"
        " FROM credit_reservations WHERE order_ref = %s ORDER BY created_at, id",
        ref,
    )


def _checks_of(database: Any, customer_id: UUID) -> int:
    rows = database.query(
        "SELECT count(*) FROM credit_decisions WHERE kind = 'CREDIT_CHECK' AND customer_id = %s",
        customer_id,
    )
    return int(rows[0][0])


async def _two(runtime: Any, tenant: UUID, prefix: str) -> tuple[UUID, UUID]:
    """Two unrelated customers with a 10,000.00 CNY limit each."""
    a = await customer(runtime, tenant, f"{prefix}-A")
    b = await customer(runtime, tenant, f"{prefix}-B")
    for cid in (a, b):
        await approved_limit(runtime, tenant, cid, "10000.00")
    return a, b


async def _order(runtime: Any, tenant: UUID, ref: str, cid: UUID, amount: str) -> None:
    async with UnitOfWork(runtime.engine, tenant, Actor("erp")) as uow:
        await orders.create_order(uow, OrderIn(ref, cid, MoneyIn(amount, "CNY"), TODAY), TODAY)
        await uow.commit()


async def test_another_customers_live_hold_is_refused_and_kept(runtime, tenants, database):
    # given: A holds 1,000.00 under SO-H-1
    tenant = tenants["acme"]
    a, b = await _two(runtime, tenant, "HLD1")
    held = await run_check(runtime, tenant, a, "1000.00", order_ref="SO-H-1", reserve=True)
    assert held.reservation is not None
    # when: B checks the same reference, with a reservation and without
    for reserve in (True, False):
        with pytest.raises(DomainError) as refused:
            await run_check(runtime, tenant, b, "500.00", order_ref="SO-H-1", reserve=reserve)
        # then: refused on orderRef, naming no other customer
        assert (refused.value.code, refused.value.field) == ("ORDER_REF_TAKEN", "orderRef")
        assert "HLD1-A" not in refused.value.message
    # and A's hold is live and untouched, and B logged nothing
    assert _holds(database, "SO-H-1") == [(a, "ACTIVE", 100_000, False)]
    assert _checks_of(database, b) == 0
    # A's own re-check still replaces its own hold
    await run_check(runtime, tenant, a, "2000.00", order_ref="SO-H-1", reserve=True)
    assert _holds(database, "SO-H-1") == [
        (a, "RELEASED", 100_000, True),
        (a, "ACTIVE", 200_000, False),
    ]


async def test_once_the_hold_has_ended_the_reference_is_free(runtime, tenants, database):
    # given: A's hold of SO-H-2 released, and A's hold of SO-H-3 lapsed (its time passed,
    # no sweep ran yet: still ACTIVE in the table)
    tenant = tenants["acme"]
    a, b = await _two(runtime, tenant, "HLD2")
    first = await run_check(runtime, tenant, a, "1000.00", order_ref="SO-H-2", reserve=True)
    assert first.reservation is not None
    async with UnitOfWork(runtime.engine, tenant, SALES) as uow:
        await check.release_reservation(uow, first.reservation.id)
        await uow.commit()
    await run_check(runtime, tenant, a, "1000.00", order_ref="SO-H-3", reserve=True)
    database.query(
        "UPDATE credit_reservations SET created_at = now() - interval '2 hours',"
        " expires_at = now() - interval '1 hour' WHERE order_ref = 'SO-H-3'"
    )
    # when: B holds both references
    for ref in ("SO-H-2", "SO-H-3"):
        taken = await run_check(runtime, tenant, b, "700.00", order_ref=ref, reserve=True)
        assert taken.reservation is not None and taken.reservation.customer_id == b
    # then: A's released hold stays as it was; its lapsed one reads EXPIRED (its own time
    # ended it), and B's are the live ones
    assert _holds(database, "SO-H-2") == [
        (a, "RELEASED", 100_000, True),
        (b, "ACTIVE", 70_000, False),
    ]
    assert _holds(database, "SO-H-3") == [
        (a, "EXPIRED", 100_000, True),
        (b, "ACTIVE", 70_000, False),
    ]


async def _order_beside_a_hold(
    runtime: Any, tenant: UUID, database: Any, ref: str, cid: UUID, amount: str
) -> None:
    """Register `cid`'s order under a reference another customer holds live, as only a race
    can leave it (createSalesOrder refuses it otherwise): the hold is out of time while the
    order is registered, then live again."""
    database.query(
        "UPDATE credit_reservations SET expires_at = expires_at - interval '2 days',"
        " created_at = created_at - interval '2 days'"
        " WHERE order_ref = %s AND status = 'ACTIVE' RETURNING 1",
        ref,
    )
    await _order(runtime, tenant, ref, cid, amount)
    database.query(
        "UPDATE credit_reservations SET expires_at = expires_at + interval '2 days',"
        " created_at = created_at + interval '2 days'"
        " WHERE order_ref = %s AND status = 'ACTIVE' RETURNING 1",
        ref,
    )


async def test_the_order_owners_check_leaves_another_customers_hold(runtime, tenants, database):
    # given: A holds SO-H-4, and the order SO-H-4 is registered for B (a race's leftover)
    tenant = tenants["acme"]
    a, b = await _two(runtime, tenant, "HLD4")
    await run_check(runtime, tenant, a, "1000.00", order_ref="SO-H-4", reserve=True)
    await _order_beside_a_hold(runtime, tenant, database, "SO-H-4", b, "3000.00")
    # when: B checks its order with a reservation
    result = await run_check(runtime, tenant, b, "3000.00", order_ref="SO-H-4", reserve=True)
    # then: B's order counts on its own (nothing held), and A's hold is not ended by it
    assert result.order_registered is True and result.reservation is None
    assert _holds(database, "SO-H-4") == [(a, "ACTIVE", 100_000, False)]


async def test_a_group_members_hold_of_the_reference_still_counts(runtime, tenants, database):
    # given: a parent with a 50,000.00 group limit and its subsidiary; the parent holds
    # 3,000.00 under SO-H-5, then SO-H-5 is registered as the subsidiary's order
    tenant = tenants["acme"]
    parent = await customer(runtime, tenant, "HLD5-P")
    child = await customer(runtime, tenant, "HLD5-S")
    async with UnitOfWork(runtime.engine, tenant, Actor("ana")) as uow:
        await link_partner(uow, parent, child, "SUBSIDIARY", None)
        await uow.commit()
    await approved_limit(runtime, tenant, child, "10000.00")
    await approved_limit(runtime, tenant, parent, "50000.00", scope="GROUP")
    held = await run_check(runtime, tenant, parent, "3000.00", order_ref="SO-H-5", reserve=True)
    assert held.reservation is not None
    await _order_beside_a_hold(runtime, tenant, database, "SO-H-5", child, "1000.00")
    # when: the subsidiary checks its order
    result = await run_check(runtime, tenant, child, "1000.00", order_ref="SO-H-5")
    # then: only its own order is left out; the parent's live hold counts in the group
    group = result.input.group_exposure
    assert group is not None
    assert [(m.minor, m.currency) for m in group.reservations] == [(300_000, "CNY")]
    assert group.orders == ()


async def _waiting_on_a_lock(database: Any) -> None:
    """Until some session of the test database waits on a lock."""
    for _ in range(500):
        waiting = database.query(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        if waiting[0][0]:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the second check never waited")


async def test_two_customers_racing_for_one_reference_one_holds(runtime, tenants, database):
    # given: A's check of SO-H-6 has taken its hold, not yet committed
    tenant = tenants["acme"]
    a, b = await _two(runtime, tenant, "HLD6")
    request = check.CheckRequest(a, MoneyIn("1000.00", "CNY"), "SO-H-6", True)
    async with UnitOfWork(runtime.engine, tenant, SALES) as first:
        await check.check_credit(first, request, TODAY)
        # when: B's check of the same reference runs meanwhile (it read no hold of A's yet)
        racing = asyncio.ensure_future(
            run_check(runtime, tenant, b, "500.00", order_ref="SO-H-6", reserve=True)
        )
        await _waiting_on_a_lock(database)
        await first.commit()
    # then: B is refused as if it had seen A's hold, and A's hold stands alone
    with pytest.raises(DomainError) as refused:
        await asyncio.wait_for(racing, timeout=timedelta(seconds=30).total_seconds())
    assert (refused.value.code, refused.value.field) == ("ORDER_REF_TAKEN", "orderRef")
    assert _holds(database, "SO-H-6") == [(a, "ACTIVE", 100_000, False)]
    assert _checks_of(database, b) == 0
