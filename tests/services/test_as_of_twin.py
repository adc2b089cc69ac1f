"""Invoice balances as of a day are read set-wise in SQL (dbschema.queries.ledger_as_of); they
are those of the pure rule (domain.invoices.balances_on) over the dated entries, on random
ledgers: payments on many days, several per invoice, days before, between and after them."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from domain.invoices import balances_on, invoice_status
from services.customers.master_data import CustomerChanges, create_customer
from services.ledger import as_of
from services.ledger.imports import ImportRow, import_invoices, import_payments
from services.read_session import ReadSession
from tests.services.test_allocation_twin import _amount, _in, _rows

DAY = date(2026, 6, 1)


async def test_balances_as_of_in_sql_are_the_domain_rule(runtime, tenants):
    tenant = tenants["acme"]
    rng = random.Random(7)
    # given invoices of three customers, paid by many payments on many days
    codes = ["AO-1", "AO-2", "AO-3"]
    for code in codes:
        await _in(
            runtime,
            tenant,
            lambda uow, c=code: create_customer(
                uow, CustomerChanges(code=c, legal_name=f"As-of {c}", country="CN", contacts=[])
            ),
        )
    invoices = [
        ImportRow(
            external_id=f"inv-{n}",
            number=f"AO-INV-{n}",
            customer_code=rng.choice(codes),
            issue_date=DAY - timedelta(days=rng.randint(0, 90)),
            due_date=DAY + timedelta(days=rng.randint(0, 30)),
            amount=_amount(rng.randint(1, 300_000)),
            currency="CNY",
        )
        for n in range(40)
    ]
    await _in(runtime, tenant, lambda uow: import_invoices(uow, invoices))
    cash = [
        ImportRow(
            external_id=f"pay-{n}",
            customer_code=rng.choice(codes),
            received_on=DAY + timedelta(days=rng.randint(0, 120)),
            amount=_amount(rng.randint(1, 200_000)),
            currency="CNY",
        )
        for n in range(60)
    ]
    await _in(runtime, tenant, lambda uow: import_payments(uow, cash))
    now: dict[UUID, Any] = {
        r[0]: r[1:]
        for r in await _rows(
            runtime, tenant, "SELECT id, open_minor, written_off_minor, amount_minor FROM invoices"
        )
    }
    entries = await _rows(
        runtime, tenant, "SELECT invoice_id, kind, amount_minor, effective_on FROM allocations"
    )
    ids = sorted(now)
    session = ReadSession(runtime.engine, tenant)
    try:
        for day in [DAY - timedelta(days=1), *(DAY + timedelta(days=d) for d in (0, 17, 60, 121))]:
            # when the balances are read as of the day
            found = await as_of.balances_on(session, ids, day)
            # then they are the rule's over the entries dated after it
            for invoice_id, balance in zip(ids, found, strict=True):
                later = [e for e in entries if e[0] == invoice_id and e[3] > day]
                expected = balances_on(
                    now[invoice_id][0],
                    now[invoice_id][1],
                    sum(e[2] for e in later),
                    sum(e[2] for e in later if e[1] == "WRITE_OFF"),
                )
                assert balance is not None
                assert (balance.open_minor, balance.written_off_minor) == expected
                assert balance.status == invoice_status(*expected)
                # and open is the amount less the entries effective on or before the day
                earlier = sum(e[2] for e in entries if e[0] == invoice_id and e[3] <= day)
                assert balance.open_minor == now[invoice_id][2] - earlier
    finally:
        await session.close()
