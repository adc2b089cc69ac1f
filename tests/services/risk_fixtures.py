"""Shared set-up for the risk-transfer service tests: customers, invoices, payments, policies."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.tables import customers
from services.customers.master_data import CustomerChanges, create_customer
from services.inputs import MoneyIn
from services.ledger import invoices, payments
from services.ledger.inputs import AllocationLine, InvoiceIn, PaymentIn
from services.risk import insurance, insurance_covers
from services.uow import Actor, UnitOfWork

ACTOR = Actor("tester", frozenset({"credit_manager", "finance"}))


def uow_for(runtime: Any, tenant: UUID) -> UnitOfWork:
    """A unit of work for the test's actor."""
    return UnitOfWork(runtime.engine, tenant, ACTOR)


async def customer(uow: UnitOfWork, code: str, rating: str | None = "A") -> UUID:
    """A customer of a rating class."""
    record = await create_customer(
        uow, CustomerChanges(code=code, legal_name=f"{code} 有限公司", country="CN", contacts=[])
    )
    await uow.conn.execute(
        customers.update().where(customers.c.id == record.id).values(rating_class=rating)
    )
    return record.id


async def invoice(
    uow: UnitOfWork,
    customer_id: UUID,
    number: str,
    issue: date,
    due: date,
    amount: str,
    currency: str = "CNY",
) -> UUID:
    """An invoice posted through the ledger service."""
    result, _ = await invoices.create_invoice(
        uow,
        InvoiceIn(
            number=number,
            customer_id=customer_id,
            issue_date=issue,
            due_date=due,
            amount=MoneyIn(amount, currency),
        ),
        key=f"inv:{number}",
    )
    return result.invoice_id


async def pay(
    uow: UnitOfWork, customer_id: UUID, invoice_id: UUID, amount: str, on: date, key: str
) -> UUID:
    """A payment allocated to one invoice."""
    result, _ = await payments.create_payment(
        uow,
        PaymentIn(
            customer_id=customer_id,
            received_on=on,
            amount=MoneyIn(amount, "CNY"),
            allocation="EXPLICIT",
            lines=[AllocationLine(invoice_id, amount)],
        ),
        key=key,
    )
    return result.payment_id


async def policy(uow: UnitOfWork, number: str = "PICC-1", **changes: Any) -> UUID:
    """A CNY policy for 2026 with the practice's defaults."""
    data = {
        "insurer": "中国人民财产保险",
        "policy_number": number,
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2026, 12, 31),
        "max_liability": MoneyIn("1000000.00", "CNY"),
        "premium_rate_percent": "0.35",
        **changes,
    }
    record = await insurance.create_policy(uow, insurance.PolicyIn(**data))
    return record.id


async def cover(uow: UnitOfWork, policy_id: UUID, customer_id: UUID, amount: str, on: date) -> UUID:
    """A cover requested and granted in full, effective `on`."""
    asked = await insurance_covers.request_cover(
        uow, policy_id, customer_id, MoneyIn(amount, "CNY"), on, None
    )
    await insurance_covers.decide_cover(
        uow, asked.id, "GRANTED", MoneyIn(amount, "CNY"), on, None, None
    )
    return asked.id


async def count(uow: UnitOfWork, table: sa.Table) -> int:
    """Rows of a table the tenant sees."""
    return int(await uow.conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0)
