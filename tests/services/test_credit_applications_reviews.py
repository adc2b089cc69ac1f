"""Agreements, reviews and the review sweeps through the services, the database checked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.credit.credit_agreements import GuaranteeIn
from domain.credit.file_policy import ItemIn
from domain.credit.reviews import Checklist, OutcomeIn
from domain.errors import DomainError, ValidationFailed
from domain.money import Money
from services.credit import agreements, file_policy, review_schedule, reviews
from services.uow import Actor, UnitOfWork
from tests.services.credit_applications_helpers import MANAGER, TODAY, terms
from tests.services.credit_limits_helpers import approved_limit, customer

JOB = Actor("job")


def _agreement(cid, **kw):
    base = {
        "customer_id": cid,
        "limit_amount": "300000.00",
        "limit_currency": "CNY",
        "payment_terms_code": "NET30",
        "late_interest_daily_rate": None,
        "guarantees": [GuaranteeIn("BANK_GUARANTEE", "ICBC letter of guarantee")],
        "dispute_venue": "ARBITRATION",
        "venue_name": "SHIAC",
        "valid_from": TODAY - timedelta(days=300),
    }
    return agreements.AgreementIn(**{**base, **kw})


async def _create(runtime, tenant, data):
    async with UnitOfWork(runtime.engine, tenant, MANAGER) as uow:
        view = await agreements.create(uow, data, TODAY)
        await uow.commit()
    return view


async def _run(runtime, tenant, fn, *args):
    async with UnitOfWork(runtime.engine, tenant, JOB) as uow:
        result = await fn(uow, *args)
        await uow.commit()
    return result


async def test_an_agreement_signed_supersedes_the_earlier_and_expires_once(
    runtime, tenants, database
):
    tenant = tenants["acme"]
    await terms(runtime, tenant)
    cid = await customer(runtime, tenant, "AG-1")
    # given a signed agreement and a draft that replaces it
    first = await _create(runtime, tenant, _agreement(cid, signed_on=TODAY - timedelta(days=300)))
    draft = await _create(runtime, tenant, _agreement(cid, valid_to=TODAY - timedelta(days=1)))
    assert (first.status, draft.status, first.late_interest_daily_rate) == (
        "ACTIVE", "DRAFT", first.late_interest_daily_rate.__class__("0.0005"),
    )  # fmt: skip
    # when the draft is signed
    async with UnitOfWork(runtime.engine, tenant, MANAGER) as uow:
        signed = await agreements.sign(uow, draft.id, TODAY, "dms://sa-2", TODAY)
        await uow.commit()
    # then it started long ago, so the first is superseded at once; its last day has passed,
    # so it reads EXPIRED today though stored as signed, and the sweep records that once
    assert signed.status == "EXPIRED" and signed.document_ref == "dms://sa-2"
    assert database.query("SELECT status FROM credit_agreements WHERE id = %s", first.id) == [
        ("SUPERSEDED",)
    ]
    assert database.query("SELECT status FROM credit_agreements WHERE id = %s", draft.id) == [
        ("ACTIVE",)
    ]
    counts = [await _run(runtime, tenant, agreements.expire_agreements, TODAY) for _ in "ab"]
    assert counts == [1, 0]
    assert database.query("SELECT status FROM credit_agreements WHERE id = %s", draft.id) == [
        ("EXPIRED",)
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"valid_to": TODAY - timedelta(days=400)}, "validTo"),
        ({"late_interest_daily_rate": "0.05"}, "lateInterestDailyRate"),
    ],
)
async def test_a_bad_agreement_writes_nothing(runtime, tenants, database, changes, field):
    tenant = tenants["acme"]
    await terms(runtime, tenant)
    cid = await customer(runtime, tenant, "AG-2")
    with pytest.raises(ValidationFailed) as exc:
        await _create(runtime, tenant, _agreement(cid, **changes))
    assert field in {e.field for e in exc.value.errors}
    assert database.query("SELECT count(*) FROM credit_agreements") == [(0,)]


async def _review(runtime, tenant, cid, outcome, **kw):
    checklist = Checklist(True, True, False, True)
    async with UnitOfWork(runtime.engine, tenant, MANAGER) as uow:
        view = await reviews.record(
            uow, cid, TODAY, checklist, OutcomeIn(outcome, kw.pop("reason", "why"), **kw), TODAY
        )
        await uow.commit()
    return view


async def test_review_outcomes_go_through_the_manual_services(runtime, tenants, database):
    tenant = tenants["acme"]
    await terms(runtime, tenant, "NET60", 60)
    cid = await customer(runtime, tenant, "RV-1", rating="B")
    down = await _review(runtime, tenant, cid, "DOWNGRADE", rating_class="C")
    assert (down.outcome, down.trigger, down.status) == ("DOWNGRADE", "MANUAL", "DONE")
    assert database.query("SELECT rating_class, last_reviewed_on FROM customers") == [("C", TODAY)]
    assert database.query("SELECT source, direction FROM credit_class_history") == [
        ("REVIEW", "DOWNGRADE")
    ]
    await _review(runtime, tenant, cid, "CHANGE_LIMIT", limit=Money(10_000_00, "CNY"))
    assert database.query("SELECT amount_minor, basis FROM credit_limit_requests") == [
        (10_000_00, "REVIEW")
    ]
    await _review(runtime, tenant, cid, "CHANGE_TERMS", payment_terms_code="net60")
    await _review(runtime, tenant, cid, "HOLD", reason="overdue and unreachable")
    assert database.query("SELECT payment_terms_code FROM customers") == [("NET60",)]
    assert database.query("SELECT held FROM credit_holds") == [(True,)]
    assert database.query("SELECT count(*) FROM credit_decisions WHERE kind = 'REVIEW'") == [(4,)]


async def test_change_limit_without_a_limit_writes_nothing(runtime, tenants, database):
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "RV-2")
    with pytest.raises(ValidationFailed) as exc:
        await _review(runtime, tenant, cid, "CHANGE_LIMIT")
    assert [(e.code, e.field) for e in exc.value.errors] == [("REQUIRED", "limit")]
    assert database.query("SELECT last_reviewed_on FROM customers") == [(None,)]
    assert database.query("SELECT count(*) FROM credit_reviews") == [(0,)]
    with pytest.raises(DomainError):
        await _review(runtime, tenants["globex"], cid, "KEEP")


async def test_the_sweep_opens_each_review_once_and_warns_when_overdue(runtime, tenants, database):
    tenant = tenants["acme"]
    await terms(runtime, tenant)
    # given a class-D customer (monthly reviews) never reviewed, created 40 days ago,
    # an agreement ending in 10 days and a large order against a small limit
    cid = await customer(runtime, tenant, "RV-3", rating="D")
    database.query(
        "UPDATE customers SET created_at = now() - interval '40 days' WHERE id = %s", cid
    )
    await _create(
        runtime, tenant,
        _agreement(cid, signed_on=TODAY - timedelta(days=300), valid_to=TODAY + timedelta(days=10)),
    )  # fmt: skip
    await approved_limit(runtime, tenant, cid, "1000.00")
    database.query(
        "INSERT INTO sales_orders (tenant_id, order_ref, customer_id, currency, amount_minor,"
        " ordered_on, fingerprint, created_by) VALUES (%s, 'SO-1', %s, 'CNY', 90000, %s, 'x', 't')",
        tenant, cid, TODAY,
    )  # fmt: skip
    # when the sweep runs twice today
    first = await _run(runtime, tenant, review_schedule.sweep_reviews, TODAY)
    again = await _run(runtime, tenant, review_schedule.sweep_reviews, TODAY)
    # then: a scheduled review (already overdue, so warned), one per agreement and order
    assert (first.scheduled, first.by_event, first.warned) == (1, 2, 1)
    assert (again.scheduled, again.by_event, again.warned) == (0, 0, 0)
    assert sorted(database.query("SELECT trigger, status FROM credit_reviews")) == [
        ("AGREEMENT_EXPIRY", "OPEN"), ("LARGE_ORDER", "OPEN"), ("SCHEDULED", "OPEN"),
    ]  # fmt: skip
    assert database.query("SELECT kind, status FROM warnings") == [
        ("CREDIT_REVIEW_OVERDUE", "OPEN")
    ]
    # when the review is recorded, every open review is done and the warning settled
    await _review(runtime, tenant, cid, "KEEP", reason=None)
    assert database.query("SELECT DISTINCT status, outcome FROM credit_reviews") == [
        ("DONE", "KEEP")
    ]
    assert database.query("SELECT status FROM warnings") == [("ACKNOWLEDGED",)]


async def test_the_credit_file_policy_is_settable(runtime, tenants, database):
    tenant = tenants["acme"]
    async with UnitOfWork(runtime.engine, tenant, MANAGER) as uow:
        policy = await file_policy.update(
            uow, [ItemIn("industry"), ItemIn("CREDIT_REPORT", 180)], 90
        )
        await uow.commit()
    assert policy.review_interval_days == 90 and len(policy.items) == 2
    assert database.query(
        "SELECT settings->'reviewIntervalDays', settings->'creditFilePolicy'->1->'maxAgeDays'"
        " FROM tenants WHERE id = %s", tenant,
    ) == [(90, 180)]  # fmt: skip
    with pytest.raises(ValidationFailed):
        async with UnitOfWork(runtime.engine, tenant, MANAGER) as uow:
            await file_policy.update(uow, [ItemIn("x"), ItemIn("x", 0)], None)
    with pytest.raises(DomainError):
        async with UnitOfWork(runtime.engine, tenant, MANAGER) as uow:
            await file_policy.update(uow, None, 0)


async def test_a_review_dated_before_1900_is_refused(runtime, tenants, database):
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "RV-9")
    with pytest.raises(DomainError) as exc:
        async with UnitOfWork(runtime.engine, tenant, MANAGER) as uow:
            await reviews.record(
                uow, cid, TODAY.replace(year=1899), Checklist(), OutcomeIn("KEEP", None), TODAY
            )
    assert (exc.value.code, exc.value.field) == ("INVALID_DATE", "reviewedOn")
    assert database.query("SELECT count(*) FROM credit_reviews") == [(0,)]
