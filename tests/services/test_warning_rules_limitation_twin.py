"""The limitation clock in SQL against its pure twin, on generated evidence chains; and the
immediate run on the events that matter."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

from dbschema.queries import limitation as sql_clock
from domain.warning_rules.limitation import MAX_LISTED, Restart, clock, summarise
from services.uow import Actor, UnitOfWork
from services.warnings import triggers
from tests.services.warning_rules_helpers import AS_OF, customer, invoice, run

FAR = date(2100, 1, 1)  #: an as-of date by which every clock has lapsed


def _at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def _seed(database, tenant, rnd: random.Random) -> dict[str, tuple[UUID, date, list[Restart]]]:
    """Customers with invoices and random evidence; the restarts each invoice should see."""
    expected: dict[str, tuple[UUID, date, list[Restart]]] = {}
    base = date(2021, 1, 1)
    for c in range(6):
        cid = customer(database, tenant, f"T{c}")
        demands = [base + timedelta(days=rnd.randrange(1500)) for _ in range(rnd.randrange(3))]
        promises = [base + timedelta(days=rnd.randrange(1500)) for _ in range(rnd.randrange(3))]
        periods = {date(2021 + rnd.randrange(4), 1 + rnd.randrange(12), 1) for _ in range(3)}
        statements = [(p, base + timedelta(days=rnd.randrange(1500))) for p in sorted(periods)]
        for on in demands:
            database.query(
                "INSERT INTO activities (tenant_id, customer_id, kind, occurred_at, created_by) "
                "VALUES (%s, %s, %s, %s, 't')",
                tenant, cid, rnd.choice(["DUNNING_LETTER", "LETTER", "LEGAL"]), _at(on),
            )  # fmt: skip
        database.query(
            "INSERT INTO activities (tenant_id, customer_id, kind, occurred_at, created_by) "
            "VALUES (%s, %s, 'CALL', %s, 't')",
            tenant, cid, _at(base + timedelta(days=1400)),
        )  # a call is no written demand  # fmt: skip
        for on in promises:
            database.query(
                "INSERT INTO promises (tenant_id, customer_id, currency, amount_minor, "
                "promised_on, baseline_paid_minor, created_by, created_at) "
                "VALUES (%s, %s, 'CNY', 100, %s, 0, 't', %s)",
                tenant, cid, on + timedelta(days=10), _at(on),
            )  # fmt: skip
        for i, (period, on) in enumerate(statements):
            database.query(
                "INSERT INTO statements (tenant_id, customer_id, period, currency, opening_minor, "
                "closing_minor, content, status, status_at, created_by) VALUES "
                "(%s, %s, %s, %s, 0, 0, '{}', %s, %s, 't')",
                tenant, cid, period, "USD" if i == 1 else "CNY", rnd.choice(["CONFIRMED", "SENT"]),
                _at(on),
            )  # fmt: skip
        for n in range(12):
            due = base + timedelta(days=rnd.randrange(1400))
            iid = invoice(database, tenant, cid, f"T{c}-{n}", due)
            issued = due - timedelta(days=30)
            restarts = [Restart("WRITTEN_DEMAND", d) for d in demands]
            restarts += [Restart("PROMISE", d) for d in promises]
            confirmed = database.query(
                "SELECT period, status_at::date FROM statements WHERE customer_id = %s "
                "AND status = 'CONFIRMED' AND currency = 'CNY'",
                cid,
            )
            restarts += [
                Restart("CONFIRMED_STATEMENT", on)
                for period, on in confirmed
                if issued < (period.replace(day=28) + timedelta(days=4)).replace(day=1)
            ]
            for k in range(rnd.randrange(3)):
                paid_on = due + timedelta(days=rnd.randrange(-20, 900))
                pay = database.query(
                    "INSERT INTO payments (tenant_id, customer_id, received_on, currency, "
                    "amount_minor, unallocated_minor, method, fingerprint, created_by) VALUES "
                    "(%s, %s, %s, 'CNY', 10, 0, 'BANK_TRANSFER', 'f', 't') RETURNING id",
                    tenant, cid, paid_on,
                )[0][0]  # fmt: skip
                alloc = database.query(
                    "INSERT INTO allocations (tenant_id, invoice_id, currency, kind, payment_id, "
                    "amount_minor, effective_on, created_by) VALUES "
                    "(%s, %s, 'CNY', 'PAYMENT', %s, 10, %s, 't') RETURNING id",
                    tenant, iid, pay, paid_on,
                )[0][0]  # fmt: skip
                if k == 1 and rnd.random() < 0.5:  # reversed: no longer a part payment
                    database.query(
                        "INSERT INTO allocations (tenant_id, invoice_id, currency, kind, "
                        "payment_id, amount_minor, effective_on, created_by, reverses_id) VALUES "
                        "(%s, %s, 'CNY', 'PAYMENT', %s, -10, %s, 't', %s)",
                        tenant, iid, pay, paid_on, alloc,
                    )  # fmt: skip
                else:
                    restarts.append(Restart("PART_PAYMENT", paid_on))
            expected[str(iid)] = (cid, due, restarts)
    return expected


async def test_sql_clocks_match_the_pure_clock(runtime, tenants, database):
    tenant = tenants["acme"]
    for seed in range(3):
        database.query("DELETE FROM allocations")
        database.query("DELETE FROM payments")
        database.query("DELETE FROM invoices")
        database.query("DELETE FROM statements")
        database.query("DELETE FROM promises")
        database.query("DELETE FROM activities")
        database.query("DELETE FROM customers")
        expected = _seed(database, tenant, random.Random(seed))
        async with UnitOfWork(runtime.engine, tenant, Actor("t")) as uow:
            rows = await sql_clock.clocks(uow.conn, FAR, 3650)
        got = {str(r.id): (r.started_on, r.started_by, r.lapses_on) for r in rows}
        want = {}
        for iid, (cid, due, restarts) in expected.items():
            c = clock(iid, str(cid), due, restarts)
            want[iid] = (c.started_on, c.started_by, c.lapses_on)
        assert got == want


async def test_sql_summaries_match_the_pure_summaries(runtime, tenants, database):
    """Per customer, the five soonest clocks and the counts, as the SQL sends them for the
    night's run, equal the pure summary of every clock, at dates where some claims have
    lapsed, some are lapsing and some are out of reach."""
    tenant = tenants["acme"]
    for seed in range(2):
        for table in ("allocations", "payments", "invoices", "statements", "promises"):
            database.query(f"DELETE FROM {table}")
        database.query("DELETE FROM activities")
        database.query("DELETE FROM customers")
        expected = _seed(database, tenant, random.Random(10 + seed))
        pure = [
            clock(iid, str(cid), due, restarts) for iid, (cid, due, restarts) in expected.items()
        ]
        for as_of, first_days in ((date(2024, 6, 1), 400), (date(2026, 1, 1), 90), (FAR, 3650)):
            th = {"firstDays": first_days, "lastDays": 30}
            want = {
                s.customer_id: ([c.invoice_id for c in s.soonest], s.total, s.lapsed)
                for s in summarise(pure, as_of, th)
            }
            async with UnitOfWork(runtime.engine, tenant, Actor("t")) as uow:
                rows = await sql_clock.summaries(uow.conn, as_of, first_days, MAX_LISTED)
            got: dict[str, tuple[list[str], int, int]] = {}
            for r in rows:
                customer_id = str(r["customer_id"])
                listed, _, _ = got.get(customer_id, ([], 0, 0))
                got[customer_id] = ([*listed, str(r["id"])], r["total"], r["lapsed"])
            assert got == want, (as_of, first_days)
            assert any(total > MAX_LISTED for _, total, _ in want.values()) or as_of != FAR


async def test_a_reversed_payment_runs_the_customers_rules_at_once(runtime, tenants, database):
    # given: a customer whose payment bounced
    tenant = tenants["acme"]
    bounced = customer(database, tenant, "B")
    other = customer(database, tenant, "O")
    invoice(database, tenant, other, "I-9", AS_OF - timedelta(days=100))
    pay = database.query(
        "INSERT INTO payments (tenant_id, customer_id, received_on, currency, amount_minor, "
        "unallocated_minor, method, fingerprint, created_by, status, reversed_at, "
        "reversal_reason, external_id) VALUES (%s, %s, %s, 'CNY', 10, 10, 'CHEQUE', 'f', 't', "
        "'REVERSED', now(), 'bounced', 'chq-1') RETURNING id",
        tenant, bounced, AS_OF,
    )[0][0]  # fmt: skip

    # when: the reversal asks for the immediate run, and it runs for that customer only
    async with UnitOfWork(runtime.engine, tenant, Actor("t")) as uow:
        await triggers.payment_reversed(uow, bounced, pay)
        await triggers.payment_reversed(uow, bounced, pay)  # the same event: one job
        await uow.commit()
    (args,) = database.query("SELECT args FROM jobs WHERE actor = 'warning_rules_now'")[0]
    today = datetime.now(UTC).date()
    tally = await run(runtime, tenant, today, only=[bounced])

    # then: the reversal warning on that customer; the other waits for the night
    assert args["customerId"] == str(bounced) and args["cause"] == "PAYMENT_REVERSED"
    assert tally.customers == 1
    assert database.query("SELECT kind, level, evidence->'payments' FROM warnings") == [
        ("PAYMENT_REVERSED", "MEDIUM", ["chq-1"])
    ]
