"""importPayments allocates set-wise in SQL (dbschema.queries.import_plan.plan_oldest_first);
the allocations it writes are those of the pure rule
(domain.allocation.allocate_batch_oldest_first) over the open invoices as they stood, on random
batches: several payments per customer, two currencies, due-date ties, payments beyond what is
open, customers with nothing open."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from domain.allocation import Receivable, allocate_batch_oldest_first
from services.customers.master_data import CustomerChanges, create_customer
from services.ledger.imports import ImportRow, import_invoices, import_payments
from services.uow import Actor, UnitOfWork

CLERK = Actor("t", frozenset({"finance"}))
DAY = date(2026, 6, 1)


async def _in(runtime: Any, tenant: UUID, work: Any) -> Any:
    async with UnitOfWork(runtime.engine, tenant, CLERK) as uow:
        result = await work(uow)
        await uow.commit()
        return result


def _amount(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


async def _rows(runtime: Any, tenant: UUID, sql: str, **params: Any) -> list[Any]:
    """Rows of a statement in the tenant, as the test reads them."""

    async def read(uow: UnitOfWork) -> Any:
        return (await uow.conn.execute(sa.text(sql), params)).all()

    return list(await _in(runtime, tenant, read))


async def _open_items(runtime: Any, tenant: UUID) -> dict[tuple[UUID, str], list[Receivable]]:
    items: dict[tuple[UUID, str], list[Receivable]] = {}
    sql = (
        "SELECT customer_id, currency, id, due_date, issue_date, open_minor "
        "FROM invoices WHERE open_minor > 0"
    )
    for customer, currency, *rest in await _rows(runtime, tenant, sql):
        items.setdefault((customer, currency.strip()), []).append(Receivable(*rest))
    return items


async def _allocations(runtime: Any, tenant: UUID, payment_ids: set[UUID]) -> Counter[Any]:
    sql = (
        "SELECT payment_id, invoice_id, amount_minor FROM allocations WHERE payment_id = ANY(:ids)"
    )
    return Counter(tuple(r) for r in await _rows(runtime, tenant, sql, ids=list(payment_ids)))


async def test_batch_allocation_in_sql_is_the_domain_rule(runtime, tenants):
    tenant = tenants["acme"]
    rng = random.Random(13)
    # given customers with invoices in two currencies, due dates often equal
    codes = [f"AT-{n}" for n in range(8)]
    for code in codes:
        await _in(
            runtime,
            tenant,
            lambda uow, c=code: create_customer(
                uow, CustomerChanges(code=c, legal_name=f"Twin {c}", country="CN", contacts=[])
            ),
        )
    invoices = [
        ImportRow(
            external_id=f"inv-{n}",
            number=f"AT-INV-{n}",
            customer_code=rng.choice(codes[:-1]),  # the last customer has nothing open
            issue_date=DAY - timedelta(days=rng.randint(0, 60)),
            due_date=DAY + timedelta(days=rng.choice([0, 0, 10, 30, rng.randint(1, 90)])),
            amount=_amount(rng.randint(1, 400_000)),
            currency=rng.choice(["CNY", "CNY", "USD"]),
        )
        for n in range(120)
    ]
    created = await _in(runtime, tenant, lambda uow: import_invoices(uow, invoices))
    assert created.created == len(invoices)
    for round_ in range(4):
        before = await _open_items(runtime, tenant)
        customer_ids = {key[0] for key in before}
        cash = [
            ImportRow(
                external_id=f"pay-{round_}-{n}",
                customer_code=rng.choice(codes),
                received_on=DAY,
                amount=_amount(rng.choice([rng.randint(1, 50_000), rng.randint(1, 900_000)])),
                currency=rng.choice(["CNY", "CNY", "USD"]),
            )
            for n in range(rng.randint(1, 60))
        ]
        # when the batch is imported
        outcome = await _in(runtime, tenant, lambda uow, c=cash: import_payments(uow, c))
        assert outcome.created == len(cash)
        ids = [r.id for r in outcome.rows]
        # then the allocations written are the rule's, payment by payment in batch order
        by_code = await _customer_ids(runtime, tenant)
        expected = allocate_batch_oldest_first(
            [
                (pid, (by_code[row.customer_code], row.currency), _minor(row.amount))
                for pid, row in zip(ids, cash, strict=True)
            ],
            before,
        )
        assert expected or round_ > 0 or not customer_ids
        assert await _allocations(runtime, tenant, set(ids)) == Counter(expected)
        # and what stays open is what the rule left
        after = await _open_items(runtime, tenant)
        taken = Counter[UUID]()
        for _, invoice_id, amount in expected:
            taken[invoice_id] += amount
        left = {
            i.id: i.open_minor - taken[i.id]
            for items in before.values()
            for i in items
            if i.open_minor - taken[i.id] > 0
        }
        assert {i.id: i.open_minor for items in after.values() for i in items} == left


def _minor(amount: str) -> int:
    whole, cents = amount.split(".")
    return int(whole) * 100 + int(cents)


async def _customer_ids(runtime: Any, tenant: UUID) -> dict[str, UUID]:
    return dict(await _rows(runtime, tenant, "SELECT code, id FROM customers"))
