"""Monthly statements: balances reconcile, re-runs add nothing, PDFs render in Chinese."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa

from domain.errors import DomainError
from services.customers.master_data import CustomerChanges, create_customer
from services.inputs import MoneyIn
from services.ledger import invoices, payments
from services.ledger.inputs import CreditNoteIn, InvoiceIn, PaymentIn
from services.statements import monthly as statements
from services.uow import Actor, UnitOfWork
from tests.documents.pdf_tools import ink, pdf_text, render_page


async def seed(runtime: Any, tenant: UUID) -> UUID:
    """Activity before and during October 2026."""
    async with UnitOfWork(runtime.engine, tenant, Actor("t")) as uow:
        customer = await create_customer(
            uow,
            CustomerChanges(code="ST-1", legal_name="对账测试有限公司", country="CN", contacts=[]),
        )
        cid = customer.id
        for number, issue, amount in (
            ("S-1", date(2026, 9, 10), "1000.00"),
            ("S-2", date(2026, 10, 5), "500.00"),
            ("S-3", date(2026, 10, 20), "300.00"),
        ):
            await invoices.create_invoice(
                uow,
                InvoiceIn(
                    number=number, customer_id=cid, issue_date=issue, amount=MoneyIn(amount, "CNY")
                ),
                key=number,
            )
        await payments.create_payment(
            uow,
            PaymentIn(
                customer_id=cid, received_on=date(2026, 9, 25), amount=MoneyIn("400.00", "CNY")
            ),
            key="p-sep",
        )
        await payments.create_payment(
            uow,
            PaymentIn(
                customer_id=cid, received_on=date(2026, 10, 15), amount=MoneyIn("700.00", "CNY")
            ),
            key="p-oct",
        )
        await uow.commit()
    async with UnitOfWork(runtime.engine, tenant, Actor("t")) as uow:
        s3 = await uow.conn.scalar(sa.text("SELECT id FROM invoices WHERE number = 'S-3'"))
        await invoices.create_credit_note(
            uow,
            CreditNoteIn(
                number="CN-1",
                invoice_id=s3,
                issue_date=date(2026, 10, 25),
                amount=MoneyIn("100.00", "CNY"),
                reason="price correction",
            ),
            "cn-1",
        )
        await uow.commit()
    return cid  # type: ignore[no-any-return]


async def test_october_statement_reconciles_and_renders(runtime, tenants, database):
    tenant = tenants["acme"]
    await seed(runtime, tenant)
    # when
    async with UnitOfWork(runtime.engine, tenant, Actor("job")) as uow:
        first = await statements.generate(uow, date(2026, 10, 1))
        await uow.commit()
    async with UnitOfWork(runtime.engine, tenant, Actor("job")) as uow:
        again = await statements.generate(uow, date(2026, 10, 1))
        await uow.commit()
    # then: opening 1000 - 400 = 600; +500 +300 -700 -100 = closing 600
    assert first.created == 1 and again.created == 0
    row = database.query("SELECT opening_minor, closing_minor, content FROM statements")[0]
    assert (row[0], row[1]) == (60000, 60000)
    content = row[2]
    assert [(line["kind"], line["amount"]) for line in content["lines"]] == [
        ("INVOICE", "500.00"),
        ("PAYMENT", "-700.00"),
        ("INVOICE", "300.00"),
        ("CREDIT_NOTE", "-100.00"),
    ]
    total = Decimal(content["opening"]) + sum(Decimal(x["amount"]) for x in content["lines"])
    assert total == Decimal(content["closing"])
    assert sum(Decimal(i["open"]) for i in content["openItems"]) == Decimal("600.00")
    assert database.query("SELECT count(*) FROM jobs WHERE actor = 'render_statement'") == [(2,)]
    # and the PDF renders with real Chinese glyphs
    statement_id = database.query("SELECT id FROM statements")[0][0]
    async with UnitOfWork(runtime.engine, tenant, Actor("job")) as uow:
        await statements.render(uow, statement_id, "zh-CN")
        await uow.commit()
    pdf = bytes(database.query("SELECT pdf FROM statement_documents")[0][0])
    text = pdf_text(pdf)
    assert "对账单" in text and "对账测试有限公司" in text and "期末余额" in text
    assert ink(render_page(pdf)) > 0.01


async def test_status_changes_are_recorded(runtime, tenants, database):
    tenant = tenants["acme"]
    await seed(runtime, tenant)
    async with UnitOfWork(runtime.engine, tenant, Actor("job")) as uow:
        await statements.generate(uow, date(2026, 10, 1))
        await uow.commit()
    statement_id = database.query("SELECT id FROM statements")[0][0]
    for status in ("SENT", "CONFIRMED"):
        async with UnitOfWork(runtime.engine, tenant, Actor("fay", frozenset({"finance"}))) as uow:
            await statements.set_status(uow, statement_id, status, "by e-mail")
            await uow.commit()
    assert database.query("SELECT status, status_by FROM statements") == [("CONFIRMED", "fay")]
    assert database.query(
        "SELECT outcome FROM activities WHERE kind = 'STATEMENT' ORDER BY created_at"
    ) == [("SENT",), ("CONFIRMED",)]
    with pytest.raises(DomainError):
        async with UnitOfWork(runtime.engine, tenant, Actor("fay")) as uow:
            await statements.set_status(uow, statement_id, "SENT", None)
