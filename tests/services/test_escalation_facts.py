"""Days overdue in SQL agree with the pure rule, domain.escalation.days_overdue."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from domain.escalation import OverdueItem, days_overdue
from services.collections.escalation import days_overdue_by_customer
from services.customers.master_data import CustomerChanges, create_customer
from services.inputs import MoneyIn
from services.ledger import disputes, invoices, payments
from services.ledger.inputs import InvoiceIn, PaymentIn
from services.uow import Actor, UnitOfWork

TODAY = date(2026, 11, 30)


async def seed(runtime: Any, tenant: UUID) -> None:
    """Invoices due around TODAY for five customers: some disputed in full or in part (two
    customers' oldest debt in full), some paid down (oldest first)."""
    rng = random.Random(11)
    async with UnitOfWork(runtime.engine, tenant, Actor("seed")) as uow:
        customers = [
            await create_customer(
                uow, CustomerChanges(code=f"ES-{n}", legal_name=f"E {n}", country="CN", contacts=[])
            )
            for n in range(5)
        ]
        for n in range(45):
            due = TODAY + timedelta(days=rng.randint(-120, 20))
            customer = rng.choice(customers).id
            if n >= 40:  # the oldest debt of the last two customers, disputed in full
                due, customer = TODAY - timedelta(days=200 + n), customers[n % 2 + 3].id
            created, _ = await invoices.create_invoice(
                uow,
                InvoiceIn(
                    f"E-{n}", customer, due - timedelta(days=30), MoneyIn("100.00", "CNY"), due
                ),
                f"E-{n}",
            )
            disputed = "100.00" if n >= 40 else rng.choice(("0", "0", "0", "30.00", "100.00"))
            if disputed != "0":
                await disputes.open_dispute(uow, created.invoice_id, disputed, "goods")
        for n, customer in enumerate(customers[:3]):
            await payments.create_payment(
                uow,
                PaymentIn(customer.id, TODAY, MoneyIn(f"{150 * (n + 1)}.00", "CNY")),
                f"P-{n}",
            )
        await uow.commit()


async def test_days_overdue_sql_agrees_with_the_pure_rule(runtime, tenants, database):
    # given
    tenant = tenants["acme"]
    await seed(runtime, tenant)
    rows = database.query("SELECT customer_id, due_date, open_minor, disputed_minor FROM invoices")
    for as_of in (TODAY - timedelta(days=60), TODAY, TODAY + timedelta(days=45)):
        # when
        async with UnitOfWork(runtime.engine, tenant, Actor("job")) as uow:
            from_sql = await days_overdue_by_customer(uow, as_of)
        # then
        items: dict[UUID, list[OverdueItem]] = defaultdict(list)
        for customer, due, open_minor, disputed_minor in rows:
            if due < as_of and open_minor > 0:
                items[customer].append(OverdueItem((as_of - due).days, open_minor, disputed_minor))
        expected = {c: days_overdue(its) for c, its in items.items() if days_overdue(its) > 0}
        assert from_sql == expected, as_of
        assert expected, "the generated ledger has overdue customers"
    # and the sample covers what the rule distinguishes: wholly disputed, paid and open items
    kinds = {(o == 0, o > 0 and o <= d, o > d) for _, _, o, d in rows}
    assert {(True, False, False), (False, True, False), (False, False, True)} <= kinds
