"""An application's limit request overtaken by a later limit: shown STALE, re-filed against
the limit now in force with its link to the application kept, so approving the new request
brings the granted terms; four eyes and tiers as for any request."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from dbschema.provision import plain, with_driver
from domain.errors import DomainError, NotFound
from services.credit import application_reads, application_refile, applications, limits
from services.credit.decisions import by_id, replay_decision
from services.read_session import ReadSession
from services.uow import Actor, UnitOfWork
from tests.services.credit_applications_helpers import MANAGER, opinions, submitted, terms
from tests.services.credit_limits_helpers import (
    ANALYST,
    MANAGER_2,
    TODAY,
    approved_limit,
    customer,
)


async def _read(runtime: Any, tenant: UUID, app_id: UUID) -> application_reads.ApplicationView:
    session = ReadSession(runtime.engine, tenant)
    try:
        found = (await application_reads.by_ids(session, [app_id]))[0]
    finally:
        await session.close()
    assert found is not None
    return found


async def _run(runtime: Any, tenant: UUID, actor: Actor, work: Any) -> Any:
    async with UnitOfWork(runtime.engine, tenant, actor) as uow:
        result = await work(uow)
        await uow.commit()
    return result


async def _granted(runtime: Any, tenant: UUID, code: str) -> tuple[UUID, Any]:
    """An application for 500,000.00 CNY on NET30, approved by max: its request is pending."""
    await terms(runtime, tenant)
    cid = await customer(runtime, tenant, code)
    app = await submitted(runtime, tenant, cid)
    await opinions(runtime, tenant, app.id)
    decision = applications.DecisionIn("APPROVE", "sound")
    done = await _run(
        runtime, tenant, MANAGER, lambda u: applications.decide(u, app.id, decision, TODAY)
    )
    return cid, done


def _refiling(app_id: UUID, reason: str | None = "overtaken by the cut") -> Any:
    return lambda u: application_refile.refile_limit(u, app_id, reason, TODAY)


def _approving(request_id: UUID) -> Any:
    return lambda u: limits.approve_limit(u, request_id, None)


async def test_a_stale_grant_is_refiled_and_its_approval_brings_the_terms(
    runtime, tenants, database
):
    # given a granted application whose limit request a later limit overtook
    tenant = tenants["acme"]
    cid, app = await _granted(runtime, tenant, "RF-1")
    await approved_limit(runtime, tenant, cid, "300000.00")
    with pytest.raises(DomainError) as exc:
        await _run(runtime, tenant, MANAGER_2, _approving(app.limit_request_id))
    assert exc.value.code == "STALE_REQUEST"
    # then the application shows its limit as stale
    assert (await _read(runtime, tenant, app.id)).limit_status == "STALE"
    # when an analyst re-files it
    refiled = await _run(runtime, tenant, ANALYST, _refiling(app.id))
    # then a new request for the granted limit is filed against the limit in force, linked
    # to the application; the old one stays as it was (history is not edited)
    assert refiled.limit_status == "PENDING"
    assert refiled.limit_request_id not in (None, app.limit_request_id)
    assert database.query(
        "SELECT amount_minor, basis, tier, status, created_by, snapshot->'request'->>'grantedBy'"
        " FROM credit_limit_requests WHERE id = %s",
        refiled.limit_request_id,
    ) == [(50_000_000, "APPLICATION", "MANAGER", "PENDING", "ana", "max")]
    assert database.query(
        "SELECT status FROM credit_limit_requests WHERE id = %s", app.limit_request_id
    ) == [("PENDING",)]
    assert database.query(
        "SELECT actor, changes->'limitRequest' FROM audit_log"
        " WHERE action = 'REFILE_APPLICATION_LIMIT' AND entity_id = %s",
        app.id,
    ) == [
        (
            "ana",
            {"before": str(app.limit_request_id), "after": str(refiled.limit_request_id)},
        )
    ]
    # when the manager who granted it, then the re-filer, approve it: four eyes refuse both
    for actor in (MANAGER, ANALYST):
        with pytest.raises(DomainError) as exc:
            await _run(runtime, tenant, actor, _approving(refiled.limit_request_id))
        assert exc.value.code == "SELF_APPROVAL", actor
    # when a second manager approves it
    approved = await _run(runtime, tenant, MANAGER_2, _approving(refiled.limit_request_id))
    # then the granted limit is the newest in force and the granted terms come with it
    assert approved.status == "APPROVED"
    assert database.query(
        "SELECT amount_minor, basis FROM credit_limits WHERE customer_id = %s ORDER BY seq", cid
    ) == [(30_000_000, "MANUAL"), (50_000_000, "APPLICATION")]
    assert database.query("SELECT payment_terms_code FROM customers WHERE id = %s", cid) == [
        ("NET30",)
    ]
    assert database.query(
        "SELECT actor FROM audit_log WHERE action = 'SET_CREDIT_TERMS' AND customer_id = %s"
        " ORDER BY id DESC LIMIT 1",
        cid,
    ) == [("mia",)]
    assert (await _read(runtime, tenant, app.id)).limit_status == "APPROVED"
    # and the limit decision replays equal
    ((decision_id,),) = database.query(
        "SELECT id FROM credit_decisions WHERE kind = 'LIMIT' AND subject_id = %s",
        refiled.limit_request_id,
    )
    session = ReadSession(runtime.engine, tenant)
    try:
        decision = await by_id(session, decision_id)
    finally:
        await session.close()
    assert decision is not None and replay_decision(decision).equal


def _written(database: Any) -> list[Any]:
    return [
        database.query("SELECT count(*) FROM credit_limit_requests"),
        database.query("SELECT limit_request_id, version FROM credit_applications"),
        database.query("SELECT count(*) FROM audit_log"),
    ]


async def test_only_a_stale_grant_is_refiled_and_a_refusal_writes_nothing(
    runtime, tenants, database
):
    # given a granted application whose request is current
    tenant = tenants["acme"]
    cid, app = await _granted(runtime, tenant, "RF-2")
    before = _written(database)
    # when it is re-filed: INVALID_STATUS (approve it), nothing written
    with pytest.raises(DomainError) as exc:
        await _run(runtime, tenant, ANALYST, _refiling(app.id))
    assert (exc.value.code, exc.value.field) == ("INVALID_STATUS", "id")
    assert _written(database) == before
    # once its limit is rejected, it is not re-filed either: a rejection stands
    await _run(
        runtime,
        tenant,
        MANAGER_2,
        lambda u: limits.reject_limit(u, app.limit_request_id, "too much"),
    )
    with pytest.raises(DomainError) as exc:
        await _run(runtime, tenant, ANALYST, _refiling(app.id))
    assert exc.value.code == "INVALID_STATUS" and "rejected" in exc.value.message
    # an unknown application is NOT_FOUND
    with pytest.raises(NotFound):
        await _run(runtime, tenant, ANALYST, _refiling(cid))


async def test_a_refiled_request_can_go_stale_again_and_be_refiled_again(
    runtime, tenants, database
):
    tenant = tenants["acme"]
    cid, app = await _granted(runtime, tenant, "RF-3")
    await approved_limit(runtime, tenant, cid, "300000.00")
    first = await _run(runtime, tenant, ANALYST, _refiling(app.id, None))
    await approved_limit(runtime, tenant, cid, "200000.00")
    assert (await _read(runtime, tenant, app.id)).limit_status == "STALE"
    second = await _run(runtime, tenant, ANALYST, _refiling(app.id, None))
    assert second.limit_status == "PENDING"
    assert len({app.limit_request_id, first.limit_request_id, second.limit_request_id}) == 3
    assert database.query(
        "SELECT count(*) FROM audit_log WHERE action = 'REFILE_APPLICATION_LIMIT'"
    ) == [(2,)]


async def test_two_refilings_at_once_file_one_request(settings, runtime, tenants, database):
    # given a stale grant
    tenant = tenants["acme"]
    cid, app = await _granted(runtime, tenant, "RF-4")
    await approved_limit(runtime, tenant, cid, "300000.00")
    engine = create_async_engine(
        with_driver(plain(settings.app_database_url), "asyncpg"), pool_size=4, max_overflow=0
    )

    async def refile(actor: Actor) -> str:
        try:
            async with UnitOfWork(engine, tenant, actor) as uow:
                view = await application_refile.refile_limit(uow, app.id, None, TODAY)
                await uow.commit()
        except DomainError as exc:
            return f"{exc.code}: {exc.message}"
        return str(view.limit_status)

    try:
        # when an analyst and a manager re-file it at once
        outcomes = await asyncio.wait_for(asyncio.gather(refile(ANALYST), refile(MANAGER_2)), 60)
    finally:
        await engine.dispose()
    # then one request is filed; the other sees it and is told to approve it instead
    assert sorted(outcomes)[0] == "INVALID_STATUS: " + (
        "its limit request is current and awaits approval: approve it"
    )
    assert sorted(outcomes)[1] == "PENDING"
    assert database.query(
        "SELECT count(*) FROM credit_limit_requests WHERE customer_id = %s AND status = 'PENDING'",
        cid,
    ) == [(2,)]  # the stale one and the one re-filed
