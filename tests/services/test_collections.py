"""The daily collections run: reminders, the ladder, disputes pausing, promises and plans."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa

from services.collections import agreements, workflow
from services.configuration import policy as receivables_policy
from services.configuration.inputs import PolicyChanges, StageIn
from services.customers.master_data import CustomerChanges, create_customer
from services.inputs import MoneyIn
from services.ledger import disputes, invoices, payments
from services.ledger.inputs import InvoiceIn, PaymentIn
from services.uow import Actor, UnitOfWork

DUE = date(2026, 9, 30)


async def setup(runtime: Any, tenant: UUID) -> tuple[UUID, UUID]:
    """A customer with one 1,000.00 invoice due on DUE."""
    async with UnitOfWork(runtime.engine, tenant, Actor("t")) as uow:
        customer = await create_customer(
            uow, CustomerChanges(code="COL-1", legal_name="Collect Co", country="CN", contacts=[])
        )
        result, _ = await invoices.create_invoice(
            uow,
            InvoiceIn(
                number="C-1",
                customer_id=customer.id,
                issue_date=DUE - timedelta(days=30),
                due_date=DUE,
                amount=MoneyIn("1000.00", "CNY"),
            ),
            key="c1",
        )
        await uow.commit()
    return customer.id, result.invoice_id


async def day(runtime: Any, tenant: UUID, as_of: date) -> workflow.DailyRun:
    """One daily run, committed."""
    async with UnitOfWork(runtime.engine, tenant, Actor("job")) as uow:
        result = await workflow.daily_run(uow, as_of)
        await uow.commit()
    return result


async def test_reminder_then_ladder_and_events(runtime, tenants, database):
    tenant = tenants["acme"]
    await setup(runtime, tenant)
    # a reminder 7 days before due, once
    assert (await day(runtime, tenant, DUE - timedelta(days=8))).reminders == 0
    assert (await day(runtime, tenant, DUE - timedelta(days=7))).reminders == 1
    assert (await day(runtime, tenant, DUE - timedelta(days=6))).reminders == 0
    # the ladder: sales at day 1, credit manager at 31, legal at 61, litigation at 91
    stages = []
    for offset in (1, 15, 31, 61, 91, 92):
        await day(runtime, tenant, DUE + timedelta(days=offset))
        stages.append(database.query("SELECT stage, owner_role FROM collection_cases")[0])
    assert stages == [
        ("SALES_CALL", "sales"),
        ("SALES_CALL", "sales"),
        ("CREDIT_MANAGER", "credit_manager"),
        ("LAWYER_LETTER", "legal"),
        ("LITIGATION", "legal"),
        ("LITIGATION", "legal"),
    ]
    assert database.query("SELECT role FROM collection_tasks ORDER BY created_at") == [
        ("sales",),
        ("credit_manager",),
        ("legal",),
        ("legal",),
    ]
    topics = database.query(
        "SELECT topic, count(*) FROM events WHERE topic LIKE 'collections.%%' GROUP BY 1 ORDER BY 1"
    )
    assert topics == [("collections.reminder_due", 1), ("collections.stage_changed", 4)]
    assert database.query("SELECT kind FROM activities") == [("REMINDER",)]


async def test_dispute_pauses_and_payment_closes_the_case(runtime, tenants, database):
    tenant = tenants["acme"]
    customer, invoice = await setup(runtime, tenant)
    async with UnitOfWork(runtime.engine, tenant, Actor("t")) as uow:
        await disputes.open_dispute(uow, invoice, "1000.00", "wrong goods delivered")
        await uow.commit()
    await day(runtime, tenant, DUE + timedelta(days=40))
    assert database.query("SELECT count(*) FROM collection_cases") == [(0,)]
    async with UnitOfWork(runtime.engine, tenant, Actor("t")) as uow:
        dispute_id = (await uow.conn.execute(sa.text("SELECT id FROM disputes"))).scalar()
        await disputes.resolve_dispute(uow, dispute_id, False, "goods were right")
        await uow.commit()
    await day(runtime, tenant, DUE + timedelta(days=41))
    assert database.query("SELECT stage, status FROM collection_cases") == [
        ("CREDIT_MANAGER", "OPEN")
    ]
    async with UnitOfWork(runtime.engine, tenant, Actor("t")) as uow:
        await payments.create_payment(
            uow,
            PaymentIn(
                customer_id=customer,
                received_on=DUE + timedelta(days=42),
                amount=MoneyIn("1000.00", "CNY"),
            ),
            key="pay",
        )
        await uow.commit()
    await day(runtime, tenant, DUE + timedelta(days=43))
    assert database.query("SELECT status FROM collection_cases") == [("CLOSED",)]


async def test_broken_promise_and_missed_plan(runtime, tenants, database):
    tenant = tenants["acme"]
    customer, _ = await setup(runtime, tenant)
    today = DUE + timedelta(days=5)
    await day(runtime, tenant, today)
    async with UnitOfWork(runtime.engine, tenant, Actor("coll", frozenset({"collector"}))) as uow:
        await agreements.promise_to_pay(
            uow, customer, "1000.00", "CNY", today + timedelta(days=3), today
        )
        await agreements.payment_plan(
            uow,
            customer,
            "CNY",
            [(today + timedelta(days=10), "500.00"), (today + timedelta(days=20), "500.00")],
            today,
        )
        await uow.commit()
    result = await day(runtime, tenant, today + timedelta(days=4))
    assert result.promises == workflow.PromiseCounts(kept=0, broken=1)
    assert database.query("SELECT kind, level FROM warnings") == [("PROMISE_BROKEN", "MEDIUM")]
    assert database.query("SELECT stage FROM collection_cases") == [("CREDIT_MANAGER",)]
    later = await day(runtime, tenant, today + timedelta(days=11))
    assert later.plans == workflow.PlanCounts(completed=0, defaulted=1)
    assert database.query("SELECT kind FROM warnings ORDER BY kind") == [
        ("PAYMENT_PLAN_MISSED",),
        ("PROMISE_BROKEN",),
    ]


#: A tenant's own ladder: none of its keys is on the default ladder.
CUSTOM_LADDER = [
    {"key": "FRIENDLY", "minDays": 1, "maxDays": 20, "ownerRole": "sales", "action": "Friendly"},
    {"key": "FIRM", "minDays": 21, "maxDays": 45, "ownerRole": "collector", "action": "Firm"},
    {"key": "FINAL", "minDays": 46, "maxDays": None, "ownerRole": "legal", "action": "Final"},
]


async def use_custom_ladder(runtime: Any, tenant: UUID) -> None:
    """The tenant replaces the practice's ladder with its own."""
    async with UnitOfWork(runtime.engine, tenant, Actor("admin", frozenset({"admin"}))) as uow:
        ladder = tuple(
            StageIn(s["key"], s["minDays"], s["maxDays"], s["ownerRole"], s["action"])
            for s in CUSTOM_LADDER
        )
        await receivables_policy.update(uow, PolicyChanges(escalation_ladder=ladder))
        await uow.commit()


async def break_promise(uow: UnitOfWork, customer: UUID, today: date) -> None:
    """A promise for in three days, which nobody keeps."""
    await agreements.promise_to_pay(
        uow, customer, "1000.00", "CNY", today + timedelta(days=3), today
    )


async def miss_instalment(uow: UnitOfWork, customer: UUID, today: date) -> None:
    """A plan whose first instalment, in three days, nobody pays."""
    instalments = [(today + timedelta(days=3), "500.00"), (today + timedelta(days=10), "500.00")]
    await agreements.payment_plan(uow, customer, "CNY", instalments, today)


@pytest.mark.parametrize(
    ("breach", "title"),
    [
        (break_promise, "Promise to pay broken: escalate"),
        (miss_instalment, "Payment plan instalment missed"),
    ],
)
async def test_a_breach_moves_the_case_along_the_tenants_own_ladder(
    runtime, tenants, database, breach, title
):
    # given: a custom ladder, a case opened on its first rung and an agreement
    tenant = tenants["acme"]
    customer, _ = await setup(runtime, tenant)
    await use_custom_ladder(runtime, tenant)
    today = DUE + timedelta(days=5)
    await day(runtime, tenant, today)
    async with UnitOfWork(runtime.engine, tenant, Actor("coll", frozenset({"collector"}))) as uow:
        await breach(uow, customer, today)
        await uow.commit()
    # when: the agreement fails, then two more daily runs (the second twice)
    await day(runtime, tenant, today + timedelta(days=4))
    after_breach = database.query("SELECT stage, owner_role FROM collection_cases")
    await day(runtime, tenant, today + timedelta(days=5))
    await day(runtime, tenant, today + timedelta(days=6))
    await day(runtime, tenant, today + timedelta(days=6))
    # then: one rung up the tenant's ladder, kept there, and one task per move
    assert after_breach == [("FIRM", "collector")]
    assert database.query("SELECT stage, owner_role, status FROM collection_cases") == [
        ("FIRM", "collector", "OPEN")
    ]
    assert database.query("SELECT role, title FROM collection_tasks ORDER BY created_at") == [
        ("sales", "Friendly"),
        ("collector", title),
    ]


def snapshot(database: Any) -> list[Any]:
    """Everything the daily run writes."""
    return [
        database.query(f"SELECT count(*) FROM {table}")
        for table in ("collection_tasks", "events", "warnings", "activities", "reminders")
    ] + [
        database.query("SELECT stage, days_overdue, next_action, status FROM collection_cases"),
        database.query("SELECT status FROM promises ORDER BY id"),
        database.query("SELECT status FROM payment_plans ORDER BY id"),
    ]


async def test_a_second_run_on_the_same_day_writes_nothing(runtime, tenants, database):
    # given: a case aging into CREDIT_MANAGER as a promise breaks and a plan defaults (two
    # more rungs) on the same day
    tenant = tenants["acme"]
    customer, _ = await setup(runtime, tenant)
    today = DUE + timedelta(days=20)
    await day(runtime, tenant, today)
    async with UnitOfWork(runtime.engine, tenant, Actor("coll", frozenset({"collector"}))) as uow:
        await agreements.promise_to_pay(uow, customer, "100.00", "CNY", today, today)
        await agreements.payment_plan(uow, customer, "CNY", [(today, "100.00")], today)
        await uow.commit()
    first = await day(runtime, tenant, today + timedelta(days=15))
    before = snapshot(database)
    # when
    again = await day(runtime, tenant, today + timedelta(days=15))
    # then
    assert (first.escalated, first.promises.broken, first.plans.defaulted) == (1, 1, 1)
    assert before[5] == [("LITIGATION", 35, "Payment plan instalment missed", "OPEN")]
    assert again == workflow.DailyRun(
        today + timedelta(days=15),
        0,
        0,
        0,
        0,
        workflow.PromiseCounts(0, 0),
        workflow.PlanCounts(0, 0),
    )
    assert snapshot(database) == before
