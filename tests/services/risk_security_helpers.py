"""Setting up guarantee and collateral scenarios through the real services."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.audit import AuditAction
from services.customers.master_data import CustomerChanges, create_customer, save
from services.inputs import MoneyIn
from services.ledger import invoices
from services.ledger.inputs import InvoiceIn
from services.risk import guarantees
from services.risk.guarantees import GuaranteeIn, GuarantorIn
from services.uow import Actor, UnitOfWork

MANAGER = Actor("max", frozenset({"credit_manager"}))
SALES = Actor("sam", frozenset({"sales"}))


def uow(runtime: Any, tenant: UUID, actor: Actor = MANAGER) -> UnitOfWork:
    """A unit of work as the credit manager (or another actor)."""
    return UnitOfWork(runtime.engine, tenant, actor)


async def customer(runtime: Any, tenant: UUID, code: str, rating: str | None = "B") -> UUID:
    """A customer of a rating class."""
    async with uow(runtime, tenant) as work:
        row = await create_customer(
            work, CustomerChanges(code=code, legal_name=f"{code} 有限公司", country="CN",
                                  contacts=[]),
        )  # fmt: skip
        if rating is not None:
            await save(work, row.id, None, {"rating_class": rating}, AuditAction.SET_CREDIT_TERMS)
        await work.commit()
    return row.id


async def invoice(
    runtime: Any, tenant: UUID, customer_id: UUID, number: str, issue: date, due: date,
    amount: str, currency: str = "CNY",
) -> UUID:  # fmt: skip
    """An invoice posted through the ledger."""
    async with uow(runtime, tenant) as work:
        posted = await invoices.create_invoice(work, InvoiceIn(
            number=number, customer_id=customer_id, issue_date=issue, due_date=due,
            amount=MoneyIn(amount, currency),
        ), key=f"inv:{number}")  # fmt: skip
        await work.commit()
    return posted.result.invoice_id


async def guarantor(runtime: Any, tenant: UUID, name: str = "担保人 张三") -> UUID:
    """An external guarantor with an identity number."""
    async with uow(runtime, tenant) as work:
        view = await guarantees.create_guarantor(work, GuarantorIn(
            kind="PERSON", name=name, identity_number="110101199003074514",
            relationship="shareholder", net_worth=MoneyIn("5000000.00", "CNY"), rating="A",
        ))  # fmt: skip
        await work.commit()
    return view.id


def guarantee_in(guarantor_id: UUID, customer_id: UUID, **changes: Any) -> GuaranteeIn:
    """A joint-and-several guarantee for 2026, CNY 100,000, on all debts."""
    data: dict[str, Any] = {
        "reference": "G-1",
        "guarantor_id": guarantor_id,
        "customer_id": customer_id,
        "kind": "JOINT_AND_SEVERAL",
        "scope": "ALL_DEBTS",
        "amount": MoneyIn("100000.00", "CNY"),
        "valid_from": date(2026, 1, 1),
        "valid_to": date(2026, 12, 31),
        **changes,
    }
    return GuaranteeIn(**data)


async def guarantee(runtime: Any, tenant: UUID, data: GuaranteeIn) -> UUID:
    """A guarantee recorded."""
    async with uow(runtime, tenant) as work:
        view = await guarantees.create_guarantee(work, data)
        await work.commit()
    return view.id
