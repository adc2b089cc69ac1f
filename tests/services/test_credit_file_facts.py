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


STATEMENT = """INSERT INTO financial_statements (tenant_id, customer_id, period_start, period_end,
                   kind, source, currency, unit, total_assets_minor, total_liabilities_minor,
                   equity_minor, revenue_minor, negative_equity, z_inputs, fingerprint,
                   created_by)
               VALUES (%s, %s, %s, %s, %s, 'AUDITED', 'CNY', 'YUAN', 100, 60, 40, %s, false,
                       '{}', 'f', 't')"""
RECORD = """INSERT INTO credit_external_records (tenant_id, customer_id, kind, source, source_ref,
                recorded_on, evidence, fingerprint, created_by)
            VALUES (%s, %s, %s, 'src', %s, %s, 'e', 'f', 't')"""


async def test_statements_and_external_records_date_their_items(
    runtime: Any, tenants: dict[str, UUID], database: Any
) -> None:
    # given a customer with statements, external records and a timeline entry
    acme = tenants["acme"]
    ((customer,),) = database.query(INSERT, acme, "F-3", "Records", None, None, None, None, "[]")
    for start, end, kind, revenue in (
        ("2024-01-01", "2024-12-31", "ANNUAL", 2400),
        ("2025-01-01", "2025-12-31", "ANNUAL", None),  # newest annual: no revenue stated
        ("2026-01-01", "2026-03-31", "INTERIM", 700),
    ):
        database.query(STATEMENT, acme, customer, start, end, kind, revenue)
    for ref, kind, day in (
        ("B1", "BUREAU_REPORT", "2026-02-01"),
        ("B2", "BUREAU_REPORT", "2025-02-01"),
        ("N1", "NEGATIVE_NEWS", "2026-04-01"),
        ("S1", "SITE_VISIT", "2026-01-15"),
    ):
        database.query(RECORD, acme, customer, kind, ref, day)
    database.query(
        "INSERT INTO credit_file_entries (tenant_id, customer_id, occurred_on, kind, title, "
        "created_by) VALUES (%s, %s, '2026-03-01', 'SITE_VISIT', 'x', 't')",
        acme,
        customer,
    )
    # when its facts are read
    async with UnitOfWork(runtime.engine, acme, Actor("t")) as uow:
        facts = await facts_for(uow, [customer])
    # then each item carries its newest date of either source
    assert facts[customer].present == frozenset()
    assert facts[customer].latest_document == {
        "FINANCIAL_STATEMENT": date(2026, 3, 31),  # the interim one's period end
        "ANNUAL_SALES": date(2024, 12, 31),  # the newest annual statement stating revenue
        "CREDIT_REPORT": date(2026, 2, 1),
        "SITE_VISIT": date(2026, 3, 1),  # the entry is newer than the recorded visit
    }
