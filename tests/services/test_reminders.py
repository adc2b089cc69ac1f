"""Pre-due reminders: the set-wise SQL agrees with its pure twin, domain.escalation.reminder_due."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.escalation import reminder_due
from services.collections.reminders import send_reminders
from services.customers.master_data import CustomerChanges, create_customer
from services.inputs import MoneyIn
from services.ledger import disputes, invoices
from services.ledger.inputs import InvoiceIn
from services.uow import Actor, UnitOfWork

AS_OF = date(2026, 11, 30)


async def generated_invoices(runtime: Any, tenant: UUID, seed: int) -> dict[str, tuple[date, bool]]:
    """Invoices due around AS_OF, some disputed in full, some in part: number -> (due, open)."""
    rng = random.Random(seed)
    out: dict[str, tuple[date, bool]] = {}
    async with UnitOfWork(runtime.engine, tenant, Actor("seed")) as uow:
        customer = await create_customer(
            uow, CustomerChanges(code="REM-1", legal_name="Remind Co", country="CN", contacts=[])
        )
        for n in range(30):
            due = AS_OF + timedelta(days=rng.randint(-3, 12))
            number = f"R-{n}"
            created, _ = await invoices.create_invoice(
                uow,
                InvoiceIn(
                    number,
                    customer.id,
                    AS_OF - timedelta(days=40),
                    MoneyIn("100.00", "CNY"),
                    due_date=due,
                ),
                number,
            )
            disputed = rng.choice(("0", "0", "40.00", "100.00"))
            if disputed != "0":
                await disputes.open_dispute(uow, created.invoice_id, disputed, "quality")
            out[number] = (due, disputed != "100.00")
        await uow.commit()
    return out


@pytest.mark.parametrize("seed", [1, 2])
async def test_the_reminder_sql_agrees_with_its_pure_twin(runtime, tenants, database, seed):
    # given
    tenant = tenants["acme"]
    generated = await generated_invoices(runtime, tenant, seed)
    for days_before in (0, 1, 3, 7, 10):
        # when: the day's reminders, rolled back so each window starts afresh
        async with UnitOfWork(runtime.engine, tenant, Actor("job")) as uow:
            sent = await send_reminders(uow, AS_OF, days_before)
            reminded = {
                number
                for (number,) in (
                    await uow.conn.exec_driver_sql(
                        "SELECT i.number FROM reminders r JOIN invoices i ON i.id = r.invoice_id"
                    )
                ).all()
            }
        # then
        expected = {
            number
            for number, (due, collectable) in generated.items()
            if collectable and reminder_due(due, AS_OF, days_before)
        }
        assert reminded == expected and sent == len(expected), days_before
    assert database.query("SELECT count(*) FROM reminders") == [(0,)]
