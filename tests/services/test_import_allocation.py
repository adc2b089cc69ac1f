"""importPayments plans its allocations without locking every open invoice, then locks what
the plan uses and checks it: a plan read a few invoices deep is the rule's plan, and a plan
gone stale (an invoice moved, an external id taken by a concurrent import) posts under lock,
by the rule over what then stands."""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from datetime import date, timedelta
from typing import Any
from uuid import RFC_4122, UUID

import sqlalchemy as sa

from dbschema.ids import time_ordered_ids
from dbschema.queries.import_plan import (
    lock_and_move,
    plan_oldest_first,
    plan_oldest_first_locked,
)
from domain.allocation import Receivable, allocate_batch_oldest_first
from services.customers.master_data import CustomerChanges, create_customer
from services.inputs import MoneyIn
from services.ledger import payments
from services.ledger.imports import ImportRow, import_invoices, import_payments
from services.ledger.inputs import PaymentIn
from services.ledger.records import RowStatus
from services.uow import UnitOfWork
from tests.services.test_allocation_twin import CLERK, _in

DAY = date(2026, 6, 1)


async def _customers(runtime: Any, tenant: UUID, codes: list[str]) -> dict[str, UUID]:
    ids = {}
    for code in codes:
        record = await _in(
            runtime,
            tenant,
            lambda uow, c=code: create_customer(
                uow, CustomerChanges(code=c, legal_name=f"Co {c}", country="CN", contacts=[])
            ),
        )
        ids[code] = record.id
    return ids


def _amount(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


async def _invoices(runtime: Any, tenant: UUID, rows: list[tuple[str, int, int, str]]) -> None:
    """Invoices (customer code, days before DAY due, amount, currency), issued 30 days before
    they fall due."""
    batch = [
        ImportRow(
            external_id=f"inv-{n}",
            number=f"INV-{n}",
            customer_code=code,
            issue_date=DAY - timedelta(days=due + 30),
            due_date=DAY - timedelta(days=due),
            amount=_amount(minor),
            currency=currency,
        )
        for n, (code, due, minor, currency) in enumerate(rows)
    ]
    created = await _in(runtime, tenant, lambda uow: import_invoices(uow, batch))
    assert created.created == len(rows)


async def _open_items(uow: UnitOfWork) -> dict[tuple[UUID, str], list[Receivable]]:
    rows = await uow.conn.execute(
        sa.text(
            "SELECT customer_id, currency, id, due_date, issue_date, open_minor "
            "FROM invoices WHERE open_minor > 0"
        )
    )
    items: dict[tuple[UUID, str], list[Receivable]] = {}
    for customer, currency, *rest in rows:
        items.setdefault((customer, currency.strip()), []).append(Receivable(*rest))
    return items


def _rule(
    batch: list[tuple[UUID, str, int]], items: dict[tuple[UUID, str], list[Receivable]]
) -> Counter[tuple[int, UUID, int]]:
    """The pure rule's lines for a batch, by batch position."""
    ords = [UUID(int=n) for n in range(len(batch))]
    lines = allocate_batch_oldest_first(
        [(ords[n], (c, cur), minor) for n, (c, cur, minor) in enumerate(batch)], items
    )
    return Counter((p.int, i, amount) for p, i, amount in lines)


async def test_a_plan_read_a_few_invoices_deep_is_the_rules_plan(runtime, tenants):
    tenant = tenants["acme"]
    rng = random.Random(7)
    codes = [f"D-{n}" for n in range(6)]
    ids = await _customers(runtime, tenant, codes)
    # given customers with up to 12 open invoices each, due dates often equal
    await _invoices(
        runtime,
        tenant,
        [
            (
                rng.choice(codes[:-1]),  # the last customer owes nothing
                rng.choice([0, 0, 5, rng.randint(1, 90)]),
                rng.randint(1, 30_000),
                rng.choice(["CNY", "CNY", "USD"]),
            )
            for _ in range(50)
        ],
    )
    for round_ in range(5):
        # when batches that stop in the first invoice, or reach past every one, are planned
        batch = [
            (ids[rng.choice(codes)], rng.choice(["CNY", "USD"]), rng.randint(1, 60_000))
            for _ in range(rng.randint(1, 40))
        ]

        async def plans(uow: UnitOfWork, b: list[tuple[UUID, str, int]] = batch) -> Any:
            found = [await plan_oldest_first(uow.conn, b, depth) for depth in (1, 2, 6, None)]
            return await _open_items(uow), found, await plan_oldest_first_locked(uow.conn, b)

        items, found, locked = await _in(runtime, tenant, plans)
        # then however deep the first read, the lines are the rule's, in batch order
        expected = _rule(batch, items)
        assert expected or round_ > 0
        for plan in [*found, locked]:
            assert Counter((p.ord, p.invoice_id, p.amount) for p in plan) == expected
            assert [p.ord for p in plan] == sorted(p.ord for p in plan)
            opened = {i.id: i.open_minor for group in items.values() for i in group}
            assert all(p.open_minor == opened[p.invoice_id] for p in plan)


async def test_a_plan_is_stale_once_an_invoice_it_read_has_moved(runtime, tenants, database):
    tenant = tenants["acme"]
    ids = await _customers(runtime, tenant, ["S-1"])
    await _invoices(runtime, tenant, [("S-1", 10, 10_000, "CNY"), ("S-1", 5, 10_000, "CNY")])

    async def plan(uow: UnitOfWork) -> Any:
        return await plan_oldest_first(uow.conn, [(ids["S-1"], "CNY", 15_000)])

    lines = await _in(runtime, tenant, plan)
    seen = {p.invoice_id: p.open_minor for p in lines}
    # when the older invoice is paid in part by someone else
    await _in(runtime, tenant, lambda uow: _pay(uow, ids["S-1"], "30.00", "other"))

    # then the plan's lock says it is stale, and a plan of what stands is not
    async def check(uow: UnitOfWork) -> tuple[bool, bool, bool]:
        fresh = await plan_oldest_first(uow.conn, [(ids["S-1"], "CNY", 15_000)])
        changed = {p.invoice_id: p.open_minor for p in fresh} != seen
        return changed, await lock_and_move(uow.conn, lines), await lock_and_move(uow.conn, fresh)

    assert await _in(runtime, tenant, check) == (True, False, True)


async def test_a_stale_plan_moves_no_balance_and_a_fresh_one_moves_each_once(
    runtime, tenants, database
):
    # given a plan read before the older invoice was paid in part by someone else
    tenant = tenants["acme"]
    ids = await _customers(runtime, tenant, ["S-1"])
    await _invoices(runtime, tenant, [("S-1", 10, 10_000, "CNY"), ("S-1", 5, 10_000, "CNY")])
    batch = [(ids["S-1"], "CNY", 15_000), (ids["S-1"], "CNY", 2_000)]
    stale = await _in(runtime, tenant, lambda uow: plan_oldest_first(uow.conn, batch))
    await _in(runtime, tenant, lambda uow: _pay(uow, ids["S-1"], "30.00", "other"))
    before = sorted(database.query("SELECT open_minor FROM invoices"))

    # when the stale plan and then a fresh one lock and move
    async def move(uow: UnitOfWork) -> tuple[bool, bool]:
        fresh = await plan_oldest_first(uow.conn, batch)
        return await lock_and_move(uow.conn, stale), await lock_and_move(uow.conn, fresh)

    moved = await _in(runtime, tenant, move)

    # then the stale plan moved nothing, the fresh one took its 170.00 off once
    assert moved == (False, True)
    assert before == [(7_000,), (10_000,)]
    assert sorted(database.query("SELECT open_minor FROM invoices")) == [(0,), (0,)]


async def _pay(uow: UnitOfWork, customer: UUID, amount: str, key: str) -> Any:
    return await payments.create_payment(
        uow, PaymentIn(customer_id=customer, received_on=DAY, amount=MoneyIn(amount, "CNY")), key
    )


async def _waiting_on_a_lock(database: Any) -> None:
    """Until some session of the test database waits on a lock."""
    for _ in range(500):
        waiting = database.query(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        if waiting[0][0]:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the import never waited")


def _ledger_balances(database: Any) -> None:
    """Every invoice's open amount and every payment's unallocated amount is what its
    allocations leave, and neither is below zero."""
    assert database.query(
        "SELECT count(*) FROM invoices i WHERE i.open_minor < 0 OR i.amount_minor - i.open_minor "
        "<> coalesce((SELECT sum(amount_minor) FROM allocations a WHERE a.invoice_id = i.id), 0)"
    ) == [(0,)]
    assert database.query(
        "SELECT count(*) FROM payments p WHERE p.unallocated_minor < 0 OR p.amount_minor - "
        "p.unallocated_minor <> coalesce((SELECT sum(amount_minor) FROM allocations a "
        "WHERE a.payment_id = p.id), 0)"
    ) == [(0,)]


def _cash(code: str, amounts: list[str], prefix: str = "cash") -> list[ImportRow]:
    return [
        ImportRow(
            external_id=f"{prefix}-{n}",
            customer_code=code,
            received_on=DAY,
            amount=amount,
            currency="CNY",
        )
        for n, amount in enumerate(amounts)
    ]


async def test_an_import_whose_invoices_move_meanwhile_allocates_what_then_stands(
    runtime, tenants, database
):
    tenant = tenants["acme"]
    ids = await _customers(runtime, tenant, ["M-1"])
    await _invoices(runtime, tenant, [("M-1", 30 - n, 10_000, "CNY") for n in range(4)])
    cash = _cash("M-1", ["60.00", "70.00"])
    # given another writer holding the customer's invoices
    async with UnitOfWork(runtime.engine, tenant, CLERK) as holder:
        await holder.conn.execute(
            sa.text("SELECT id FROM invoices WHERE customer_id = :c ORDER BY id FOR UPDATE"),
            {"c": ids["M-1"]},
        )
        # when the import plans, waits for them, and the other writer pays the oldest first
        task = asyncio.create_task(_in(runtime, tenant, lambda uow: import_payments(uow, cash)))
        await _waiting_on_a_lock(database)
        await _pay(holder, ids["M-1"], "150.00", "first")
        before = await _open_items(holder)
        await holder.commit()
    outcome = await asyncio.wait_for(task, 30)
    # then the import allocated by the rule over what the other payment left
    assert outcome.created == 2
    batch = [(ids["M-1"], "CNY", 6000), (ids["M-1"], "CNY", 7000)]
    expected = _rule(batch, before)
    by_ord = {r.id: r.index for r in outcome.rows}
    written = database.query(
        "SELECT payment_id, invoice_id, amount_minor FROM allocations WHERE payment_id = ANY(%s)",
        list(by_ord),
    )
    assert Counter((by_ord[p], i, a) for p, i, a in written) == expected
    assert database.query("SELECT sum(open_minor) FROM invoices") == [(40_000 - 15_000 - 13_000,)]
    _ledger_balances(database)


async def test_an_external_id_taken_meanwhile_is_refused_and_the_rest_posts(
    runtime, tenants, database
):
    tenant = tenants["acme"]
    await _customers(runtime, tenant, ["T-1", "T-2"])
    await _invoices(runtime, tenant, [("T-1", 20 - n, 5_000, "CNY") for n in range(3)])
    cash = _cash("T-1", ["40.00", "80.00", "10.00"])
    # given a concurrent import posting the second row's external id for another customer
    async with UnitOfWork(runtime.engine, tenant, CLERK) as other:
        taken = await import_payments(other, [_cash("T-2", ["1.00", "1.00"])[1]])
        assert taken.created == 1
        # when the batch is imported meanwhile and the other import commits
        task = asyncio.create_task(_in(runtime, tenant, lambda uow: import_payments(uow, cash)))
        await _waiting_on_a_lock(database)
        await other.commit()
    outcome = await asyncio.wait_for(task, 30)
    # then that row is refused, and the others allocate as if it had never been sent
    statuses = [r.status for r in outcome.rows]
    assert statuses == [RowStatus.CREATED, RowStatus.ERROR, RowStatus.CREATED]
    assert outcome.rows[1].errors[0].code == "IDEMPOTENCY_MISMATCH"
    assert database.query(
        "SELECT p.external_id, a.amount_minor FROM allocations a "
        "JOIN payments p ON p.id = a.payment_id ORDER BY a.amount_minor"
    ) == [("cash-2", 1000), ("cash-0", 4000)]
    _ledger_balances(database)


def test_time_ordered_ids_are_distinct_version_7_ascending_and_start_with_the_time():
    ids = time_ordered_ids(2000)
    assert len(set(ids)) == 2000
    assert ids == sorted(ids)
    assert {(i.version, i.variant) for i in ids} == {(7, RFC_4122)}
    assert abs((ids[0].int >> 80) - time.time() * 1000) < 60_000
