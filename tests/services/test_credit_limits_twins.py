"""The exposure statement (sums over open-item indexes) against its pure twins."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from domain.credit.exposure import (
    ExposureFacts,
    OrderState,
    OrderStatus,
    live_reservations,
    open_receivables,
    sum_by_currency,
)
from domain.money import Money
from services.credit.exposure import gather
from services.uow import UnitOfWork
from tests.services.credit_limits_helpers import TODAY, customer


async def test_exposure_sums_equal_the_pure_rules_on_generated_data(runtime, tenants, database):
    # given: five customers with random open and paid invoices, orders and reservations
    tenant = tenants["acme"]
    rng = random.Random(7)
    ids = [await customer(runtime, tenant, f"TW-{n}") for n in range(5)]
    invoices: list[tuple[object, str, int, int, object]] = []
    orders: list[tuple[object, str, int, int, str]] = []
    reservations: list[tuple[object, str, int, datetime, str]] = []
    now = datetime.now(UTC)
    for n in range(120):
        cid = rng.choice(ids)
        currency = rng.choice(["CNY", "CNY", "USD"])
        amount = rng.randint(1, 10**6)
        open_minor = rng.choice([0, amount, rng.randint(0, amount)])
        due = TODAY + timedelta(days=rng.randint(-200, 60))
        invoices.append((cid, currency, amount, open_minor, due))
        database.query(
            "INSERT INTO invoices (tenant_id, number, customer_id, issue_date, due_date, currency,"
            " amount_minor, open_minor, fingerprint, created_by) VALUES"
            " (%s, %s, %s, %s, %s, %s, %s, %s, 't', 't')",
            tenant, f"TW-I-{n}", cid, due - timedelta(days=30), due, currency, amount, open_minor,
        )  # fmt: skip
    for n in range(40):
        cid = rng.choice(ids)
        amount = rng.randint(1, 10**5)
        invoiced = rng.randint(0, amount)
        status = rng.choice(["OPEN", "SHIPPED", "INVOICED", "CANCELLED"])
        orders.append((cid, "CNY", amount, invoiced, status))
        database.query(
            "INSERT INTO sales_orders (tenant_id, order_ref, customer_id, currency, amount_minor,"
            " invoiced_minor, status, ordered_on, fingerprint, created_by) VALUES"
            " (%s, %s, %s, 'CNY', %s, %s, %s, %s, 't', 't')",
            tenant, f"TW-O-{n}", cid, amount, invoiced, status, TODAY,
        )  # fmt: skip
    database.query(
        "INSERT INTO credit_decisions (tenant_id, id, kind, subject_id, snapshot, outcome,"
        " versions, decided_by) VALUES (%s, gen_random_uuid(), 'CREDIT_CHECK', %s, '{}', '{}',"
        " '{}', 't')",
        tenant, ids[0],
    )  # fmt: skip
    decision = database.query("SELECT id FROM credit_decisions")[0][0]
    for n in range(30):
        cid = rng.choice(ids)
        amount = rng.randint(1, 10**5)
        seconds = rng.choice([-120, 3600])
        status = rng.choice(["ACTIVE", "ACTIVE", "RELEASED"])
        reservations.append((cid, "USD", amount, now + timedelta(seconds=seconds), status))
        database.query(
            "INSERT INTO credit_reservations (tenant_id, customer_id, order_ref, currency,"
            " amount_minor, expires_at, status, decision_id, created_by, created_at) VALUES"
            " (%s, %s, %s, 'USD', %s, now() + make_interval(secs => %s), %s, %s, 't',"
            " now() - interval '1 hour')",
            tenant, cid, f"TW-R-{n}", amount, seconds, status, decision,
        )  # fmt: skip
    # when / then: for each customer the statement's sums are the pure rules' sums
    for cid in ids:
        async with UnitOfWork(runtime.engine, tenant) as uow:
            facts = (await gather(uow.conn, tenant, cid, TODAY)).exposure
        mine = open_receivables([(c, o, d) for i, c, _, o, d in invoices if i == cid], TODAY)
        remaining = sum_by_currency(
            (c, OrderState(c, a, v, OrderStatus(s)).remaining_minor)
            for i, c, a, v, s in orders
            if i == cid
        )
        live = live_reservations(
            [(c, a, e) for i, c, a, e, s in reservations if i == cid and s == "ACTIVE"], now
        )
        assert facts == ExposureFacts(
            mine.open,
            tuple(Money(m, c) for c, m in remaining.items()),
            live,
            mine.overdue,
            mine.max_days_overdue,
        )
