"""Applications through the services: opinions, four eyes, approval applying the limit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import DomainError, ValidationFailed
from services.credit import applications
from services.credit.decisions import by_id, replay_decision
from services.inputs import MoneyIn
from services.read_session import ReadSession
from services.uow import Actor, UnitOfWork
from tests.services.credit_applications_helpers import (
    MANAGER,
    SALES,
    TODAY,
    opinions,
    submitted,
    terms,
)
from tests.services.credit_limits_helpers import customer


async def _decide(runtime, tenant, app_id, actor, **kw):
    data = applications.DecisionIn(kw.pop("verdict", "APPROVE"), kw.pop("reason", "sound"), **kw)
    async with UnitOfWork(runtime.engine, tenant, actor) as uow:
        view = await applications.decide(uow, app_id, data, TODAY)
        await uow.commit()
    return view


async def test_an_approval_files_the_limit_whose_approval_sets_the_terms(
    runtime, tenants, database
):
    # given an application with every department's opinion
    tenant = tenants["acme"]
    await terms(runtime, tenant)
    cid = await customer(runtime, tenant, "APP-1")
    app = await submitted(runtime, tenant, cid)
    await opinions(runtime, tenant, app.id)
    # when the credit manager approves it
    done = await _decide(runtime, tenant, app.id, MANAGER)
    # then the limit is filed for approval on the application's basis (the terms wait for
    # it), the decision is logged and replays equal
    assert done.status == "APPROVED" and done.limit_request_id is not None
    assert database.query(
        "SELECT amount_minor, basis, status FROM credit_limit_requests WHERE id = %s",
        done.limit_request_id,
    ) == [(50_000_000, "APPLICATION", "PENDING")]
    assert database.query("SELECT payment_terms_code FROM customers WHERE id = %s", cid) == [
        (None,)
    ]
    session = ReadSession(runtime.engine, tenant)
    try:
        decision = await by_id(session, done.decision_id)
    finally:
        await session.close()
    assert decision is not None and decision.kind == "APPLICATION"
    assert replay_decision(decision).equal
    topics = database.query("SELECT topic FROM events WHERE topic LIKE 'credit.application%%'")
    assert [t for (t,) in topics] == ["credit.application_submitted", "credit.application_decided"]


async def test_the_applicant_cannot_decide_their_own_application(runtime, tenants, database):
    # given a manager who filed an application themself
    tenant = tenants["acme"]
    await terms(runtime, tenant)
    cid = await customer(runtime, tenant, "APP-2")
    app = await submitted(runtime, tenant, cid, actor=MANAGER)
    await opinions(runtime, tenant, app.id)
    # when they decide it, then SELF_APPROVAL and nothing changed
    with pytest.raises(DomainError) as exc:
        await _decide(runtime, tenant, app.id, MANAGER)
    assert exc.value.code == "SELF_APPROVAL"
    assert database.query("SELECT status, decided_by FROM credit_applications") == [
        ("PENDING", None)
    ]
    assert database.query("SELECT count(*) FROM credit_limit_requests") == [(0,)]
    assert database.query("SELECT count(*) FROM credit_decisions") == [(0,)]


async def test_opinions_are_one_per_role_and_never_the_applicants(runtime, tenants, database):
    tenant = tenants["acme"]
    await terms(runtime, tenant)
    cid = await customer(runtime, tenant, "APP-3")
    app = await submitted(runtime, tenant, cid)
    # when the applicant speaks for sales, then SELF_APPROVAL
    with pytest.raises(DomainError) as own:
        async with UnitOfWork(runtime.engine, tenant, SALES) as uow:
            await applications.give_opinion(uow, app.id, "SALES", "SUPPORT", None)
    assert own.value.code == "SELF_APPROVAL"
    # and a decision before the opinions is refused
    with pytest.raises(DomainError) as early:
        await _decide(runtime, tenant, app.id, MANAGER)
    assert early.value.code == "OPINIONS_MISSING"
    assert database.query("SELECT count(*) FROM credit_application_opinions") == [(0,)]


async def test_a_counter_offer_and_a_rejection(runtime, tenants, database):
    tenant = tenants["acme"]
    await terms(runtime, tenant)
    cid = await customer(runtime, tenant, "APP-4")
    first = await submitted(runtime, tenant, cid)
    await opinions(runtime, tenant, first.id)
    offered = await _decide(
        runtime, tenant, first.id, MANAGER, verdict="COUNTER_OFFER",
        limit=MoneyIn("200000.00", "CNY"),
    )  # fmt: skip
    assert offered.status == "COUNTER_OFFERED"
    assert offered.granted is not None and offered.granted.limit.minor == 20_000_000
    second = await submitted(runtime, tenant, cid)
    await opinions(runtime, tenant, second.id)
    rejected = await _decide(runtime, tenant, second.id, MANAGER, verdict="REJECT")
    assert rejected.status == "REJECTED" and rejected.limit_request_id is None
    assert database.query("SELECT count(*) FROM credit_limit_requests") == [(1,)]


async def test_an_unknown_customer_is_refused_and_nothing_written(runtime, tenants, database):
    tenant = tenants["acme"]
    await terms(runtime, tenant)
    other = await customer(runtime, tenants["globex"], "THEIRS")
    with pytest.raises(DomainError) as exc:
        await submitted(runtime, tenant, other)
    assert (exc.value.code, exc.value.field) == ("NOT_FOUND", "customerId")
    with pytest.raises(ValidationFailed):
        await submitted(runtime, tenant, other, amount="0")
    assert database.query("SELECT count(*) FROM credit_applications") == [(0,)]


async def test_a_pending_application_past_its_sla_escalates_once(runtime, tenants, database):
    tenant = tenants["acme"]
    await terms(runtime, tenant)
    cid = await customer(runtime, tenant, "APP-5")
    await submitted(runtime, tenant, cid)
    later = TODAY + timedelta(days=6)
    counts = []
    for day in (TODAY + timedelta(days=5), later, later):
        async with UnitOfWork(runtime.engine, tenant, Actor("job")) as uow:
            counts.append(await applications.escalate_overdue(uow, day))
            await uow.commit()
    assert counts == [0, 1, 0]
    assert database.query("SELECT kind, status FROM warnings") == [
        ("CREDIT_APPLICATION_OVERDUE", "OPEN")
    ]
    assert database.query("SELECT escalated_on FROM credit_applications") == [(later,)]
