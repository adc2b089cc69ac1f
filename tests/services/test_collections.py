"""The daily collections run: reminders, the ladder, disputes pausing, promises and plans."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from services.collections import workflow as collections
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
                customer_id=customer["id"],
                issue_date=DUE - timedelta(days=30),
                due_date=DUE,
                amount=MoneyIn("1000.00", "CNY"),
            ),
            key="c1",
        )
        await uow.commit()
    return customer["id"], result.invoice_id


async def day(runtime: Any, tenant: UUID, as_of: date) -> dict[str, Any]:
    """One daily run, committed."""
    async with UnitOfWork(runtime.engine, tenant, Actor("job")) as uow:
        result = await collections.daily_run(uow, as_of)
        await uow.commit()
    return result


async def test_reminder_then_ladder_and_events(runtime, tenants, database):
    tenant = tenants["acme"]
    await setup(runtime, tenant)
    # a reminder 7 days before due, once
    assert (await day(runtime, tenant, DUE - timedelta(days=8)))["reminders"] == 0
    assert (await day(runtime, tenant, DUE - timedelta(days=7)))["reminders"] == 1
    assert (await day(runtime, tenant, DUE - timedelta(days=6)))["reminders"] == 0
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
        await collections.promise_to_pay(
            uow, customer, "1000.00", "CNY", today + timedelta(days=3), today
        )
        await collections.payment_plan(
            uow,
            customer,
            "CNY",
            [(today + timedelta(days=10), "500.00"), (today + timedelta(days=20), "500.00")],
            today,
        )
        await uow.commit()
    result = await day(runtime, tenant, today + timedelta(days=4))
    assert result["promises"] == {"kept": 0, "broken": 1}
    assert database.query("SELECT kind, level FROM warnings") == [("PROMISE_BROKEN", "MEDIUM")]
    assert database.query("SELECT stage FROM collection_cases") == [("CREDIT_MANAGER",)]
    later = await day(runtime, tenant, today + timedelta(days=11))
    assert later["plans"] == {"completed": 0, "defaulted": 1}
    assert database.query("SELECT kind FROM warnings ORDER BY kind") == [
        ("PAYMENT_PLAN_MISSED",),
        ("PROMISE_BROKEN",),
    ]
