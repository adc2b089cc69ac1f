"""The set-wise payment-behaviour SQL against its pure twin, on generated ledgers."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import psycopg

from domain.credit.behaviour import (
    LedgerAllocation,
    LedgerDispute,
    LedgerInvoice,
    LedgerPayment,
    LedgerPromise,
    ledger_facts,
)
from services.credit.payment_behaviour import behaviour_facts
from services.uow import UnitOfWork

TODAY = date(2026, 6, 30)


@dataclass
class Ledger:
    """One customer's generated ledger, as rows for the database and for the twin."""

    customer_id: uuid.UUID
    invoices: list[LedgerInvoice] = field(default_factory=list)
    allocations: list[LedgerAllocation] = field(default_factory=list)
    promises: list[LedgerPromise] = field(default_factory=list)
    disputes: list[LedgerDispute] = field(default_factory=list)
    payments: list[LedgerPayment] = field(default_factory=list)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def generate(conn: psycopg.Connection, tenant: uuid.UUID, rng: random.Random, n: int) -> Ledger:
    """A customer with invoices, payments (some reversed), write-offs, disputes, promises."""
    customer = uuid.uuid4()
    conn.execute(
        "INSERT INTO customers (tenant_id, id, code, legal_name, country) "
        "VALUES (%s, %s, %s, %s, 'CN')",
        (tenant, customer, f"G-{n}", f"Generated {n}"),
    )
    led = Ledger(customer)
    for k in range(rng.randint(0, 8)):
        currency = rng.choice(["CNY", "CNY", "USD"])
        issued = TODAY - timedelta(days=rng.randint(-20, 520))
        due = issued + timedelta(days=rng.choice([0, 15, 30, 60]))
        amount = rng.randint(1_000, 1_000_000)
        inv_id = uuid.uuid4()
        led.invoices.append(LedgerInvoice(str(inv_id), currency, amount, issued, due))
        left = amount
        allocs: list[tuple[uuid.UUID, str, int, date, uuid.UUID | None, uuid.UUID | None]] = []
        for _ in range(rng.randint(0, 3)):
            if left == 0:
                break
            part = rng.randint(1, left)
            on = issued + timedelta(days=rng.randint(0, 200))
            pay_id, alloc_id = uuid.uuid4(), uuid.uuid4()
            reversed_on = on + timedelta(days=rng.randint(0, 30)) if rng.random() < 0.2 else None
            conn.execute(
                "INSERT INTO payments (tenant_id, id, customer_id, received_on, currency, "
                "amount_minor, unallocated_minor, method, status, reversed_at, fingerprint, "
                "created_by) VALUES (%s, %s, %s, %s, %s, %s, 0, 'BANK_TRANSFER', %s, %s, 'g', 'g')",
                (
                    tenant,
                    pay_id,
                    customer,
                    on,
                    currency,
                    part,
                    "REVERSED" if reversed_on else "POSTED",
                    _at(reversed_on) if reversed_on else None,
                ),
            )
            led.payments.append(LedgerPayment(currency, part, on, reversed_on))
            allocs.append((alloc_id, "PAYMENT", part, on, pay_id, None))
            led.allocations.append(
                LedgerAllocation(str(alloc_id), str(inv_id), "PAYMENT", part, on)
            )
            if reversed_on:
                rev_id = uuid.uuid4()
                allocs.append((rev_id, "PAYMENT", -part, reversed_on, pay_id, alloc_id))
                led.allocations.append(
                    LedgerAllocation(
                        str(rev_id), str(inv_id), "PAYMENT", -part, reversed_on, str(alloc_id)
                    )
                )
            else:
                left -= part
        if left and rng.random() < 0.15:
            on = due + timedelta(days=rng.randint(0, 400))
            wo_id = uuid.uuid4()
            allocs.append((wo_id, "WRITE_OFF", left, on, None, None))
            led.allocations.append(LedgerAllocation(str(wo_id), str(inv_id), "WRITE_OFF", left, on))
            left = 0
        conn.execute(
            "INSERT INTO invoices (tenant_id, id, number, customer_id, issue_date, due_date, "
            "currency, amount_minor, open_minor, fingerprint, created_by) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 'g', 'g')",
            (tenant, inv_id, f"G-{n}-{k}", customer, issued, due, currency, amount, left),
        )
        for alloc_id, kind, amt, on, pay_id, reverses in allocs:
            conn.execute(
                "INSERT INTO allocations (tenant_id, id, invoice_id, currency, kind, payment_id, "
                "write_off_id, amount_minor, reverses_id, effective_on, created_by) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'g')",
                (
                    tenant,
                    alloc_id,
                    inv_id,
                    currency,
                    kind,
                    pay_id,
                    uuid.uuid4() if kind == "WRITE_OFF" else None,
                    amt,
                    reverses,
                    on,
                ),
            )
        if rng.random() < 0.25:
            raised = issued + timedelta(days=rng.randint(0, 90))
            disputed = rng.randint(1, amount)
            conn.execute(
                "INSERT INTO disputes (tenant_id, invoice_id, amount_minor, reason, created_at, "
                "created_by) VALUES (%s, %s, %s, 'quality', %s, 'g')",
                (tenant, inv_id, disputed, _at(raised)),
            )
            led.disputes.append(LedgerDispute(str(inv_id), disputed, raised))
    for _ in range(rng.randint(0, 2)):
        promised = TODAY - timedelta(days=rng.randint(-30, 500))
        status = rng.choice(["OPEN", "KEPT", "BROKEN"])
        currency = rng.choice(["CNY", "USD"])
        conn.execute(
            "INSERT INTO promises (tenant_id, customer_id, currency, amount_minor, promised_on, "
            "status, baseline_paid_minor, created_by) VALUES (%s, %s, %s, 100, %s, %s, 0, 'g')",
            (tenant, customer, currency, promised, status),
        )
        led.promises.append(LedgerPromise(currency, promised, status))
    return led


async def test_sql_facts_equal_the_pure_twin(database, tenants, runtime):
    # given: 60 generated customers in one tenant and a few in another (RLS must hide them)
    rng = random.Random(20261130)
    with psycopg.connect(database.owner_url) as conn:  # one transaction, committed on exit
        ledgers = [generate(conn, tenants["acme"], rng, n) for n in range(60)]
        generate(conn, tenants["globex"], rng, 999)
    for as_of in (TODAY, TODAY - timedelta(days=75), TODAY - timedelta(days=200)):
        for months in (12, 6):
            # when
            async with UnitOfWork(runtime.engine, tenants["acme"]) as uow:
                got = await behaviour_facts(uow.conn, as_of, months)
            # then
            for led in ledgers:
                twin = ledger_facts(
                    led.invoices,
                    led.allocations,
                    led.promises,
                    led.disputes,
                    led.payments,
                    as_of,
                    months,
                )
                sql = {f.currency: f for f in got.get(led.customer_id, [])}
                assert sql == twin, (as_of, months, led.customer_id)
            assert set(got) <= {led.customer_id for led in ledgers}


async def test_one_customer_equals_the_portfolio_row(database, tenants, runtime):
    rng = random.Random(7)
    with psycopg.connect(database.owner_url) as conn:  # one transaction, committed on exit
        ledgers = [generate(conn, tenants["acme"], rng, n) for n in range(10)]
    async with UnitOfWork(runtime.engine, tenants["acme"]) as uow:
        everyone = await behaviour_facts(uow.conn, TODAY)
        for led in ledgers:
            one = await behaviour_facts(uow.conn, TODAY, customer_id=led.customer_id)
            assert one.get(led.customer_id, []) == everyone.get(led.customer_id, [])
