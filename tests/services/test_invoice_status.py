"""The invoice status and overdue filters in SQL select exactly what the domain rules say."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from domain.invoices import InvoiceStatus, invoice_status
from services.ledger.reads import InvoiceQuery, invoices_by_ids, invoices_page
from services.read_session import ReadSession

DAY = date(2026, 5, 4)


def _seed(database, tenant: uuid.UUID) -> dict[uuid.UUID, tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Invoices with generated balances, the edges included: (open, written off) by id."""
    rng = random.Random(11)
    customer = database.query(
        "INSERT INTO customers (tenant_id, code, legal_name, country) "
        "VALUES (%s, 'ST-1', 'Status Co', 'CN') RETURNING id",
        tenant,
    )[0][0]
    balances = [(0, 0), (1, 0), (0, 1), (1, 1), (100, 100)] + [
        (rng.choice([0, rng.randint(1, 100)]), rng.choice([0, rng.randint(1, 100)]))
        for _ in range(60)
    ]
    made = {}
    for n, (open_minor, written_off) in enumerate(balances):
        row = database.query(
            "INSERT INTO invoices (tenant_id, number, customer_id, issue_date, due_date, "
            "currency, amount_minor, open_minor, written_off_minor, fingerprint, created_by) "
            "VALUES (%s, %s, %s, %s, %s, 'CNY', 100, %s, %s, 'f', 't') RETURNING id",
            tenant,
            f"S-{n}",
            customer,
            DAY,
            DAY,
            open_minor,
            written_off,
        )
        made[row[0][0]] = (open_minor, written_off)
    return made


async def test_sql_status_filter_matches_the_domain_rule(runtime, tenants, database):
    made = _seed(database, tenants["acme"])
    opened = {i for i, (o, w) in made.items() if invoice_status(o, w) is InvoiceStatus.OPEN}
    session = ReadSession(runtime.engine, tenants["acme"])
    try:
        for status in InvoiceStatus:
            page = await invoices_page(session, InvoiceQuery(status=status), None, 100)
            want = {i for i, (o, w) in made.items() if invoice_status(o, w) is status}
            assert {r.id for r in page.items} == want, status
            assert page.total == len(want) and not page.has_next
            assert all(r.status is status for r in page.items)
        for day, late in ((DAY, set()), (DAY + timedelta(days=1), opened)):
            page = await invoices_page(session, InvoiceQuery(overdue_on=day), None, 100)
            assert {r.id for r in page.items} == late
            assert all(r.days_past_due(day) > 0 for r in page.items)
        records = await invoices_by_ids(session, list(made))
        assert [r.status for r in records if r] == [invoice_status(*made[i]) for i in made]
    finally:
        await session.close()
