"""Limits through the services: tiers, four eyes, history, increases, expiry, policy."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.errors import DomainError, ValidationFailed
from services.credit import class_policy, decisions, limit_expiry, limits
from services.credit.decisions import record_decision, replay_decision
from services.credit.limit_views import history, recommendation
from services.inputs import MoneyIn
from services.read_session import ReadSession
from services.uow import Actor, UnitOfWork
from tests.services.credit_limits_helpers import (
    ANALYST,
    MANAGER,
    MANAGER_2,
    TODAY,
    approved_limit,
    customer,
    rate,
    run_check,
)


async def _request(runtime, tenant, cid, amount, currency="CNY", actor=ANALYST, **kw):
    async with UnitOfWork(runtime.engine, tenant, actor) as uow:
        view = await limits.set_limit(
            uow, cid, MoneyIn(amount, currency), date(2026, 1, 1), kw.pop("valid_to", None),
            today=TODAY, **kw,
        )  # fmt: skip
        await uow.commit()
    return view


async def _decide(runtime, tenant, request_id, actor, reject=None):
    async with UnitOfWork(runtime.engine, tenant, actor) as uow:
        if reject is None:
            view = await limits.approve_limit(uow, request_id, None)
        else:
            view = await limits.reject_limit(uow, request_id, reject)
        await uow.commit()
    return view


async def test_the_matrix_sets_the_tier_and_four_eyes_hold(runtime, tenants, database):
    # given: a request above the manager's authority (two managers needed)
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "L-1")
    request = await _request(runtime, tenant, cid, "2000000.00")
    assert (request.tier, request.approvals_required, request.status) == (
        "TWO_MANAGERS",
        2,
        "PENDING",
    )
    # when the requester, an analyst, and the same manager twice try
    with pytest.raises(DomainError) as own:
        await _decide(runtime, tenant, request.id, Actor("ana", frozenset({"credit_manager"})))
    with pytest.raises(DomainError) as weak:
        await _decide(runtime, tenant, request.id, Actor("bob", frozenset({"credit_analyst"})))
    await _decide(runtime, tenant, request.id, MANAGER)
    with pytest.raises(DomainError) as twice:
        await _decide(runtime, tenant, request.id, MANAGER)
    # then: refused with the right codes, and nothing is in force yet
    assert (own.value.code, weak.value.code, twice.value.code) == (
        "SELF_APPROVAL",
        "NOT_AN_APPROVER",
        "SAME_APPROVER",
    )
    assert database.query("SELECT count(*) FROM credit_limits") == [(0,)]
    # when a second manager approves, the limit is in force and its decision logged
    done = await _decide(runtime, tenant, request.id, MANAGER_2)
    assert done.status == "APPROVED" and done.limit_id is not None
    assert database.query(
        "SELECT amount_minor, approved_by FROM credit_limits WHERE id = %s", done.limit_id
    ) == [(200_000_000, ["max", "mia"])]
    assert database.query(
        "SELECT topic, payload->>'change' FROM events WHERE topic LIKE 'credit.%%' ORDER BY seq"
    ) == [("credit.decision_recorded", None), ("credit.limit_changed", "SET")]
    assert database.query(
        "SELECT action FROM audit_log WHERE entity_type = 'CreditLimitRequest' ORDER BY id"
    ) == [("REQUEST_CREDIT_LIMIT",), ("APPROVE_CREDIT_LIMIT",), ("APPROVE_CREDIT_LIMIT",)]


async def test_a_change_is_a_new_row_and_history_keeps_every_one(runtime, tenants, database):
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "L-2")
    await approved_limit(runtime, tenant, cid, "1000.00")
    await approved_limit(runtime, tenant, cid, "3000.00")
    session = ReadSession(runtime.engine, tenant)
    try:
        rows, more = await history(session, cid, None, 10)
    finally:
        await session.close()
    assert [r.amount.minor for r in rows] == [300_000, 100_000] and not more
    result = await run_check(runtime, tenant, cid, "2500.00")
    assert result.outcome.outcome.value == "APPROVED"


async def test_a_rejection_needs_a_reason_and_is_logged(runtime, tenants, database):
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "L-3")
    request = await _request(runtime, tenant, cid, "500.00")
    with pytest.raises(ValidationFailed):
        await _decide(runtime, tenant, request.id, MANAGER, reject="  ")
    rejected = await _decide(runtime, tenant, request.id, MANAGER, reject="no statements")
    assert rejected.status == "REJECTED"
    assert database.query(
        "SELECT outcome->>'status' FROM credit_decisions WHERE kind = 'LIMIT'"
    ) == [("REJECTED",)]
    with pytest.raises(DomainError) as late:
        await _decide(runtime, tenant, request.id, MANAGER_2)
    assert late.value.code == "INVALID_STATUS"


async def test_a_limit_in_a_currency_without_a_rate_is_refused_and_nothing_written(
    runtime, tenants, database
):
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "L-4")
    with pytest.raises(DomainError) as refused:
        await _request(runtime, tenant, cid, "100.00", "EUR")
    assert (refused.value.code, refused.value.field) == ("NO_EXCHANGE_RATE", "amount.currency")
    with pytest.raises(ValidationFailed) as unknown:
        await _request(runtime, tenant, cid, "100.00", "ABC")
    assert [e.code for e in unknown.value.errors] == ["UNKNOWN_CURRENCY"]
    assert database.query("SELECT count(*) FROM credit_limit_requests") == [(0,)]
    # with a rate, the amount's value in the base currency sets the tier
    await rate(runtime, tenant, "EUR", "CNY", "7.8", TODAY)
    request = await _request(runtime, tenant, cid, "20000.00", "EUR")
    assert request.tier == "MANAGER"  # 156,000.00 CNY


async def test_a_temporary_increase_adds_until_its_end(runtime, tenants):
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "L-5")
    await approved_limit(runtime, tenant, cid, "100.00")
    await approved_limit(
        runtime, tenant, cid, "50.00", kind="TEMPORARY",
        valid_from=TODAY - timedelta(days=1), valid_to=TODAY + timedelta(days=1),
    )  # fmt: skip
    result = await run_check(runtime, tenant, cid, "150.00")
    assert result.outcome.outcome.value == "APPROVED"
    assert result.outcome.standing is not None
    assert result.outcome.standing.limit.minor == 15_000


async def test_expire_limits_records_each_lapse_once(runtime, tenants, database):
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "L-6")
    await approved_limit(runtime, tenant, cid, "100.00", valid_to=TODAY - timedelta(days=1))
    for _ in range(2):
        async with UnitOfWork(runtime.engine, tenant) as uow:
            count = await limit_expiry.expire_limits(uow, TODAY)
            await uow.commit()
    assert count == 0
    assert database.query("SELECT count(*) FROM credit_decisions WHERE kind = 'LIMIT_EXPIRY'") == [
        (1,)
    ]
    assert database.query("SELECT count(*) FROM events WHERE payload->>'change' = 'EXPIRED'") == [
        (1,)
    ]
    result = await run_check(runtime, tenant, cid, "1.00")
    assert [f.reason.value for f in result.outcome.findings] == ["LIMIT_EXPIRED"]


async def test_policy_versions_are_appended_and_the_check_records_its_version(
    runtime, tenants, database
):
    tenant = tenants["acme"]
    async with UnitOfWork(runtime.engine, tenant, MANAGER) as uow:
        policy = await class_policy.update(uow, {"overdueReviewDays": 10})
        await uow.commit()
    assert policy.version == 1
    async with UnitOfWork(runtime.engine, tenant, MANAGER) as uow:
        with pytest.raises(ValidationFailed):
            await class_policy.update(uow, {"classes": {"A": {"paymentTermsCode": "NOPE"}}})
    cid = await customer(runtime, tenant, "L-7")
    result = await run_check(runtime, tenant, cid, "1.00")
    assert result.input.policy.overdue_review_days == 10
    assert database.query("SELECT version FROM credit_policies") == [(1,)]
    assert database.query(
        "SELECT versions->'creditPolicy' FROM credit_decisions WHERE kind = 'CREDIT_CHECK'"
    ) == [(1,)]


async def test_limit_decisions_replay_and_a_class_decision_can_be_recorded(runtime, tenants):
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "L-8", capital=MoneyIn("1000000.00", "CNY"))
    await approved_limit(runtime, tenant, cid, "100.00")
    async with UnitOfWork(runtime.engine, tenant, Actor("scorer")) as uow:
        class_id = await record_decision(
            uow, "CLASS", cid, {"score": 71}, {"class": "B"}, {"scorecard": 3}, customer_id=cid
        )
        await uow.commit()
    session = ReadSession(runtime.engine, tenant)
    try:
        page, _ = await decisions.page(session, customer_id=cid, kind=None, after=None, first=10)
        view = await recommendation(session, cid, None, TODAY)
    finally:
        await session.close()
    kinds = {d.kind: d for d in page}
    assert replay_decision(kinds["LIMIT"]).equal
    # a class decision whose snapshot the class rules cannot read replays as not equal
    unreadable = replay_decision(kinds["CLASS"])
    assert kinds["CLASS"].id == class_id and unreadable.replayable and not unreadable.equal
    # capital 1,000,000 x 20% x class B 0.70 = 140,000; no sales figure
    assert view.result.amount is not None and view.result.amount.minor == 14_000_000
    assert view.result.missing == ("annualSales",)


async def test_a_recommendation_crosses_through_the_base_currency(runtime, tenants):
    # given capital and sales in USD, and rates only from USD and EUR to the base (CNY)
    tenant = tenants["acme"]
    usd = MoneyIn("1000000.00", "USD")
    cid = await customer(runtime, tenant, "L-X", capital=usd, sales=usd)
    await rate(runtime, tenant, "USD", "CNY", "7.2", date(2020, 1, 1))
    await rate(runtime, tenant, "EUR", "CNY", "7.8", date(2020, 1, 1))
    # when a limit is recommended in EUR
    session = ReadSession(runtime.engine, tenant)
    try:
        view = await recommendation(session, cid, "EUR", TODAY)
    finally:
        await session.close()
    # then both bases are converted USD -> EUR through CNY, not refused for want of a pair
    result = view.result
    assert result.capital is not None and result.capital_basis is not None
    assert result.capital_basis.currency == "EUR"
    assert result.amount is not None and result.amount.currency == "EUR"
    assert [leg.target for leg in result.capital.legs] == ["CNY", "EUR"]
