"""Concurrent allocations against one invoice or one payment never over-allocate or deadlock."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any
from uuid import UUID

from domain.errors import DomainError, ValidationFailed
from services.customers.master_data import CustomerChanges, create_customer
from services.inputs import MoneyIn
from services.ledger import invoices, payments
from services.ledger.inputs import AllocationLine, InvoiceIn, PaymentIn
from services.uow import Actor, UnitOfWork

DAY = date(2026, 1, 10)


async def make_customer(runtime: Any, tenant: UUID) -> UUID:
    async with UnitOfWork(runtime.engine, tenant, Actor("t")) as uow:
        row = await create_customer(
            uow, CustomerChanges(code="L-1", legal_name="Ledger Co", country="CN", contacts=[])
        )
        await uow.commit()
    return row.id


async def _invoice(runtime: Any, tenant: UUID, customer: UUID, n: int, amount: str) -> UUID:
    async with UnitOfWork(runtime.engine, tenant, Actor("t")) as uow:
        result, _ = await invoices.create_invoice(
            uow,
            InvoiceIn(
                number=f"INV-{n}",
                customer_id=customer,
                issue_date=DAY,
                amount=MoneyIn(amount, "CNY"),
            ),
            key=f"inv-{n}",
        )
        await uow.commit()
    return result.invoice_id


async def _payment(runtime: Any, tenant: UUID, customer: UUID, n: int, amount: str) -> UUID:
    async with UnitOfWork(runtime.engine, tenant, Actor("t")) as uow:
        result, _ = await payments.create_payment(
            uow,
            PaymentIn(
                customer_id=customer,
                received_on=DAY,
                amount=MoneyIn(amount, "CNY"),
                allocation="NONE",
            ),
            key=f"pay-{n}",
        )
        await uow.commit()
    return result.payment_id


async def _allocate(
    runtime: Any, tenant: UUID, payment: UUID, invoice: UUID, amount: str, key: str
) -> str:
    try:
        async with UnitOfWork(runtime.engine, tenant, Actor("t")) as uow:
            await payments.allocate_payment(
                uow, payment, "EXPLICIT", [AllocationLine(invoice, amount)], DAY, key
            )
            await uow.commit()
        return "OK"
    except ValidationFailed as exc:
        return exc.errors[0].code
    except DomainError as exc:
        return exc.code


async def test_fifty_payments_racing_for_one_invoice(runtime, tenants, database):
    # given: an invoice of 100.00 and 50 payments of 10.00 on account
    tenant = tenants["acme"]
    customer = await make_customer(runtime, tenant)
    invoice = await _invoice(runtime, tenant, customer, 1, "100.00")
    pays = [await _payment(runtime, tenant, customer, n, "10.00") for n in range(50)]
    # when: all 50 try to pay it at once
    outcomes = await asyncio.wait_for(
        asyncio.gather(
            *[_allocate(runtime, tenant, p, invoice, "10.00", f"a-{n}") for n, p in enumerate(pays)]
        ),
        60,
    )
    # then: exactly ten fit; nothing over-allocated
    assert outcomes.count("OK") == 10
    assert set(outcomes) == {"OK", "EXCEEDS_OPEN_AMOUNT"}
    assert database.query("SELECT open_minor FROM invoices") == [(0,)]
    assert database.query("SELECT sum(amount_minor) FROM allocations") == [(10000,)]
    assert database.query("SELECT sum(unallocated_minor) FROM payments") == [(40000,)]


async def test_one_payment_racing_over_fifty_invoices(runtime, tenants, database):
    # given: a payment of 100.00 and 50 invoices of 5.00
    tenant = tenants["acme"]
    customer = await make_customer(runtime, tenant)
    pay = await _payment(runtime, tenant, customer, 1, "100.00")
    invs = [await _invoice(runtime, tenant, customer, n, "5.00") for n in range(50)]
    # when
    outcomes = await asyncio.wait_for(
        asyncio.gather(
            *[_allocate(runtime, tenant, pay, inv, "5.00", f"b-{n}") for n, inv in enumerate(invs)]
        ),
        60,
    )
    # then: twenty fit; the payment is never allocated beyond its amount
    assert outcomes.count("OK") == 20
    assert set(outcomes) == {"OK", "EXCEEDS_PAYMENT"}
    assert database.query("SELECT unallocated_minor FROM payments") == [(0,)]
    assert database.query("SELECT sum(amount_minor) - sum(open_minor) FROM invoices") == [(10000,)]


async def test_auto_allocations_interleaved_do_not_deadlock(runtime, tenants, database):
    # given: 20 invoices and 20 payments allocated automatically at the same time
    tenant = tenants["acme"]
    customer = await make_customer(runtime, tenant)
    for n in range(20):
        await _invoice(runtime, tenant, customer, n, "7.00")

    async def pay(n: int) -> None:
        async with UnitOfWork(runtime.engine, tenant, Actor("t")) as uow:
            await payments.create_payment(
                uow,
                PaymentIn(customer_id=customer, received_on=DAY, amount=MoneyIn("9.00", "CNY")),
                key=f"auto-{n}",
            )
            await uow.commit()

    # when
    await asyncio.wait_for(asyncio.gather(*[pay(n) for n in range(20)]), 60)
    # then: 140.00 owed, 180.00 paid: every invoice settled, 40.00 left on account
    assert database.query("SELECT sum(open_minor) FROM invoices") == [(0,)]
    assert database.query("SELECT sum(unallocated_minor) FROM payments") == [(4000,)]
    assert database.query(
        "SELECT count(*) FROM invoices i WHERE i.amount_minor - i.open_minor <> "
        "(SELECT sum(amount_minor) FROM allocations a WHERE a.invoice_id = i.id)"
    ) == [(0,)]


async def test_same_key_racing_moves_money_once(runtime, tenants, database):
    tenant = tenants["acme"]
    customer = await make_customer(runtime, tenant)
    await _invoice(runtime, tenant, customer, 1, "50.00")

    async def post() -> bool:
        async with UnitOfWork(runtime.engine, tenant, Actor("t")) as uow:
            _, replayed = await payments.create_payment(
                uow,
                PaymentIn(customer_id=customer, received_on=DAY, amount=MoneyIn("20.00", "CNY")),
                key="same",
            )
            await uow.commit()
        return replayed

    replays = await asyncio.gather(*[post() for _ in range(10)])
    assert sorted(replays) == [False] + [True] * 9
    assert database.query("SELECT count(*), sum(amount_minor) FROM payments") == [(1, 2000)]
    assert database.query("SELECT open_minor FROM invoices") == [(3000,)]
