"""Events numbered at commit (migration 0025): a credit check's event takes its number while
its transaction commits, in commit order, and a rolled-back check leaves nothing behind."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from dbschema.queries.events import record_event
from services.credit import check
from services.inputs import MoneyIn
from services.uow import UnitOfWork
from tests.services.credit_limits_helpers import SALES, TODAY, customer


def _events(database: Any, tenant: UUID) -> list[tuple[Any, ...]]:
    return database.query(
        "SELECT seq, topic, payload->>'decisionId' FROM events WHERE tenant_id = %s ORDER BY seq",
        tenant,
    )


def _pending(database: Any) -> int:
    return int(database.query("SELECT count(*) FROM events_pending")[0][0])


async def _refused_check(uow: UnitOfWork, customer_id: UUID) -> check.CheckResult:
    """A check without a limit: refused, so it publishes its decision."""
    result = await check.check_credit(
        uow, check.CheckRequest(customer_id, MoneyIn("10.00", "CNY")), TODAY
    )
    assert result.outcome.outcome != check.Outcome.APPROVED
    return result


async def test_a_checks_event_is_numbered_when_it_commits_in_commit_order(
    runtime, tenants, database
):
    # given a customer without a limit (its checks are refused and published)
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "EVT-1")
    before = _events(database, tenant)
    async with UnitOfWork(runtime.engine, tenant, SALES) as first:
        # when a check has written its event but not committed
        result = await _refused_check(first, cid)
        # then the event waits, unnumbered, and holds no lock: another writer numbers and
        # commits an event of its own meanwhile
        assert _events(database, tenant) == before

        async def other_writer() -> int:
            async with UnitOfWork(runtime.engine, tenant, SALES) as other:
                seq = await record_event(other.conn, tenant, "test.other", {"n": 1})
                await other.commit()
            return seq

        # (numbered at insert, the check's event would hold the tenant's lock: this would wait)
        other_seq = await asyncio.wait_for(other_writer(), 10)
        await first.commit()
    after = _events(database, tenant)
    # and the check's event is numbered after the one that committed first
    assert [row[1:] for row in after[len(before) :]] == [
        ("test.other", None),
        ("credit.decision_recorded", str(result.decision_id)),
    ]
    assert [row[0] for row in after[len(before) :]] == [other_seq, other_seq + 1]
    assert _pending(database) == 0


async def test_a_rolled_back_check_publishes_nothing(runtime, tenants, database):
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "EVT-2")
    before = _events(database, tenant)
    async with UnitOfWork(runtime.engine, tenant, SALES) as uow:
        await _refused_check(uow, cid)
    assert _events(database, tenant) == before
    assert _pending(database) == 0
    assert database.query("SELECT count(*) FROM credit_decisions WHERE customer_id = %s", cid) == [
        (0,)
    ]


async def test_pending_events_are_the_tenants_own(runtime, tenants, database):
    """Row-level security holds for pending events: another tenant cannot publish into ours."""
    import pytest
    from sqlalchemy.exc import DBAPIError

    async with UnitOfWork(runtime.engine, tenants["globex"], SALES) as uow:
        with pytest.raises(DBAPIError, match="row-level security"):
            await uow.conn.exec_driver_sql(
                "INSERT INTO events_pending (tenant_id, topic, payload) "
                f"VALUES ('{tenants['acme']}', 'x.y', '{{}}')"
            )
    assert _pending(database) == 0
