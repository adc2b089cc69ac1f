"""Aging in SQL agrees with the pure domain rule, including on past dates."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from domain.aging import DEFAULT_AGE_BUCKETS, DEFAULT_DPD_BUCKETS, OpenItem, aging
from services.customers.master_data import CustomerChanges, create_customer
from services.inputs import MoneyIn
from services.ledger import aging as aging_service
from services.ledger import invoices, payments
from services.ledger.inputs import AllocationLine, InvoiceIn, PaymentIn
from services.read_session import ReadSession
from services.uow import Actor, UnitOfWork

TODAY = date(2026, 11, 24)


async def _seed(runtime: Any, tenant: UUID) -> list[dict[str, Any]]:
    """Random invoices over three years in two currencies, some paid later."""
    rng = random.Random(7)
    made = []
    async with UnitOfWork(runtime.engine, tenant, Actor("t")) as uow:
        customers = [
            await create_customer(
                uow,
                CustomerChanges(
                    code=f"AG-{n}",
                    legal_name=f"Aging {n}",
                    country="CN",
                    contacts=[],
                    salesperson=rng.choice(["王伟", "张敏"]),
                ),
            )
            for n in range(4)
        ]
        for n in range(60):
            issue = TODAY - timedelta(days=rng.randint(0, 1300))
            due = issue + timedelta(days=rng.choice([0, 15, 30, 60]))
            currency = rng.choice(["CNY", "USD"])
            amount = rng.randint(1, 50_000) * 100
            customer = rng.choice(customers)
            result, _ = await invoices.create_invoice(
                uow,
                InvoiceIn(
                    number=f"A-{n}",
                    customer_id=customer.id,
                    issue_date=issue,
                    due_date=due,
                    amount=MoneyIn(f"{amount / 100:.2f}", currency),
                ),
                key=f"a-{n}",
            )
            made.append(
                {
                    "id": str(result.invoice_id),
                    "customer": str(customer.id),
                    "currency": currency,
                    "amount": amount,
                    "issue": issue,
                    "due": due,
                    "paid": None,
                }
            )
        await uow.commit()
    # pay some of them in full on a random later date (before today)
    for item in made[::3]:
        paid_on = min(TODAY, item["issue"] + timedelta(days=rng.randint(1, 400)))
        async with UnitOfWork(runtime.engine, tenant, Actor("t")) as uow:
            await payments.create_payment(
                uow,
                PaymentIn(
                    customer_id=UUID(item["customer"]),
                    received_on=paid_on,
                    amount=MoneyIn(f"{item['amount'] / 100:.2f}", item["currency"]),
                    allocation="EXPLICIT",
                    lines=[AllocationLine(UUID(item["id"]), f"{item['amount'] / 100:.2f}")],
                ),
                key=f"p-{item['id']}",
            )
            await uow.commit()
        item["paid"] = paid_on
    return made


def _expected(made: list[dict[str, Any]], as_of: date, by: str) -> dict[tuple[str, str], Any]:
    items = [
        OpenItem(m["customer"], m["currency"], m["amount"], m["issue"], m["due"])
        for m in made
        if m["issue"] <= as_of and (m["paid"] is None or m["paid"] > as_of)
    ]
    buckets = DEFAULT_DPD_BUCKETS if by == "dpd" else DEFAULT_AGE_BUCKETS
    return aging(items, as_of, buckets, by)


async def test_sql_aging_matches_domain_today_and_in_the_past(runtime, tenants):
    made = await _seed(runtime, tenants["acme"])
    for as_of in (TODAY, TODAY - timedelta(days=200), TODAY - timedelta(days=700)):
        for basis, by, buckets in (
            ("DPD", "dpd", DEFAULT_DPD_BUCKETS),
            ("AGE", "age", DEFAULT_AGE_BUCKETS),
        ):
            session = ReadSession(runtime.engine, tenants["acme"])
            try:
                result = await aging_service.aging(
                    session,
                    as_of=as_of,
                    basis=basis,
                    group="CUSTOMER",
                    buckets=buckets,
                    currency=None,
                    after=None,
                    first=100,
                )
            finally:
                await session.close()
            got = {(r.key, r.currency): r.buckets for r in result.rows}
            want = {k: v for k, v in _expected(made, as_of, by).items() if sum(v.values())}
            assert got == want, (as_of, basis)
            for total in result.totals:
                assert total.total_minor == sum(
                    sum(v.values()) for (k, c), v in want.items() if c == total.currency
                )
