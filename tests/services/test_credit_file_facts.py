"""The dossier facts the completeness rule grades: filled fields come from SQL, as stored."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from services.customers.credit_files import facts_for
from services.uow import Actor, UnitOfWork

INSERT = """INSERT INTO customers (tenant_id, code, legal_name, country, industry,
                business_model, registered_capital_minor, registered_capital_currency, contacts)
            VALUES (%s, %s, %s, 'CN', %s, %s, %s, %s, %s::jsonb) RETURNING id"""


async def test_filled_fields_partners_and_newest_documents(
    runtime: Any, tenants: dict[str, UUID], database: Any
) -> None:
    acme = tenants["acme"]
    ((sparse,),) = database.query(INSERT, acme, "F-1", "Sparse", "", None, 0, "CNY", "[]")
    ((full,),) = database.query(
        INSERT, acme, "F-2", "Full", "Textiles", "B2B", None, None, '[{"name": "李娜"}]'
    )
    database.query(
        "INSERT INTO customer_relations (tenant_id, customer_id, related_customer_id, kind) "
        "VALUES (%s, %s, %s, 'GUARANTOR')",
        acme,
        full,
        sparse,
    )
    for day in ("2026-01-05", "2026-03-01"):
        database.query(
            "INSERT INTO credit_file_entries (tenant_id, customer_id, occurred_on, kind, title, "
            "created_by) VALUES (%s, %s, %s, 'CREDIT_REPORT', 'x', 't')",
            acme,
            full,
            day,
        )
    async with UnitOfWork(runtime.engine, acme, Actor("t")) as uow:
        facts = await facts_for(uow, [sparse, full])
    assert facts[sparse].present == {"REGISTERED_CAPITAL"}  # 0 is filled; "" and [] are not
    assert facts[sparse].latest_document == {}
    assert facts[full].present == {"INDUSTRY", "BUSINESS_MODEL", "CONTACTS", "PARTNERS"}
    assert facts[full].latest_document == {"CREDIT_REPORT": date(2026, 3, 1)}
