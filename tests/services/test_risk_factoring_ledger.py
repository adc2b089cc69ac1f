"""The factoring sub-ledger reconciles with the receivables ledger at any date, on generated
data (assignments, collections to the factor and to us, credit notes, reversals, remittances,
settlements and buy-backs), and the SQL agrees with its pure twin."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from uuid import UUID

import sqlalchemy as sa

from dbschema.ledger_tables import allocations, invoices
from dbschema.risk_factoring_tables import factored_invoices, factoring_entries
from domain.errors import DomainError, ValidationFailed
from domain.risk import factoring as rules
from domain.risk.factoring import Entry, EntryKind
from services.inputs import MoneyIn
from services.ledger import invoices as invoice_service
from services.ledger import payments
from services.ledger.inputs import CreditNoteIn
from services.read_session import ReadSession
from services.risk import factoring, factoring_ledger, factoring_reconcile
from tests.services.risk_fixtures import customer, invoice, pay, uow_for
from tests.services.test_risk_factoring import terms

START = date(2026, 2, 1)
DAYS = 120


async def _simulate(runtime, tenant, rng: random.Random) -> None:
    async with uow_for(runtime, tenant) as uow:
        debtors = [await customer(uow, f"R-{n}", rng.choice("AB")) for n in range(4)]
        agreements = [
            (await factoring.create_agreement(uow, terms("R-DIS"))).id,
            (await factoring.create_agreement(uow, terms("R-CON", disclosed=False))).id,
        ]
        await uow.commit()
    open_invoices: list[tuple[UUID, UUID]] = []
    paid_with: list[UUID] = []
    n = 0
    for day_no in range(DAYS):
        day = START + timedelta(days=day_no)
        async with uow_for(runtime, tenant) as uow:
            for _ in range(rng.randint(0, 2)):
                debtor = rng.choice(debtors)
                n += 1
                due = day + timedelta(days=rng.choice([15, 30, 45]))
                amount = f"{rng.randint(100, 5000)}.{rng.randint(0, 99):02d}"
                inv = await invoice(uow, debtor, f"R{n}", day, due, amount)
                open_invoices.append((inv, debtor))
                if rng.random() < 0.2:  # paid in part before it is assigned
                    paid_with.append(await pay(uow, debtor, inv, "10.00", day, f"pre-{n}"))
            if rng.random() < 0.3 and open_invoices:
                offered = rng.sample(open_invoices, min(len(open_invoices), rng.randint(1, 4)))
                try:
                    await factoring.assign(
                        uow, rng.choice(agreements), [i for i, _ in offered], day, f"a{day}"
                    )
                except ValidationFailed:
                    pass  # some were overdue, paid or assigned: the batch is refused whole
            for inv, debtor in rng.sample(open_invoices, min(3, len(open_invoices))):
                left = await uow.conn.scalar(
                    sa.select(invoices.c.open_minor).where(invoices.c.id == inv)
                )
                if not left:
                    continue
                part = max(1, left // rng.choice([1, 2, 3]))
                amount = f"{part // 100}.{part % 100:02d}"
                choice = rng.random()
                try:
                    if choice < 0.3:
                        await factoring_ledger.record_collection(
                            uow, inv, amount, day, "FACTOR", None, f"c{day}{inv}"
                        )
                    elif choice < 0.6:
                        paid_with.append(await pay(uow, debtor, inv, amount, day, f"p{day}{inv}"))
                    elif choice < 0.75:
                        await invoice_service.create_credit_note(
                            uow,
                            CreditNoteIn(f"CN{day}{inv}", inv, day, MoneyIn(amount, "CNY"), "退货"),
                            key=f"cn{day}{inv}",
                        )
                except DomainError:
                    pass  # e.g. not assigned, or an amount below one cent
            if paid_with and rng.random() < 0.15:
                payment = paid_with.pop(rng.randrange(len(paid_with)))
                await payments.reverse_payment(uow, payment, "退票", day, f"rev{payment}")
            if rng.random() < 0.2:
                await factoring_ledger.remit(uow, agreements[1], day, f"remit{day}")
            await factoring_ledger.daily(uow, day)
            await uow.commit()


async def _twin(uow, as_of: date) -> dict[UUID, tuple[int, int]]:
    """Factored and receivables open amounts by the pure rules, per active assignment."""
    active = (
        await uow.conn.execute(
            sa.select(factored_invoices).where(
                factored_invoices.c.assigned_on <= as_of,
                sa.or_(
                    factored_invoices.c.closed_on.is_(None), factored_invoices.c.closed_on > as_of
                ),
            )
        )
    ).all()
    entries: dict[UUID, list[Entry]] = defaultdict(list)
    for r in await uow.conn.execute(sa.select(factoring_entries)):
        entries[r.assignment_id].append(
            Entry(EntryKind(r.kind), r.amount_minor, r.effective_on, r.received_by)
        )
    moves: dict[UUID, list[tuple[date, int]]] = defaultdict(list)
    for r in await uow.conn.execute(sa.select(allocations)):
        moves[r.invoice_id].append((r.effective_on, r.amount_minor))
    amounts = {r.id: r.amount_minor for r in await uow.conn.execute(sa.select(invoices))}
    return {
        a.id: (
            rules.position(entries[a.id], as_of).factored_open_minor,
            rules.open_on(amounts[a.invoice_id], moves[a.invoice_id], as_of),
        )
        for a in active
    }


async def test_the_sub_ledger_reconciles_with_the_receivables_ledger_at_any_date(
    runtime, tenants, database
):
    rng = random.Random(7)
    await _simulate(runtime, tenants["acme"], rng)
    kinds = {k for (k,) in database.query("SELECT DISTINCT kind FROM factoring_entries")}
    statuses = {s for (s,) in database.query("SELECT DISTINCT status FROM factored_invoices")}
    assert {"COLLECTION", "DILUTION", "REMITTANCE", "INTEREST", "BUYBACK"} <= kinds
    assert statuses == {"ACTIVE", "SETTLED", "BOUGHT_BACK"}
    assert database.query("SELECT count(*) FROM factoring_entries WHERE amount_minor < 0") != [
        (0,)
    ]  # reversals mirrored as negative entries
    session = ReadSession(runtime.engine, tenants["acme"])
    compared = 0
    try:
        async with uow_for(runtime, tenants["acme"]) as uow:
            for step in range(0, DAYS + 10, 3):
                as_of = START + timedelta(days=step)
                result = await factoring_reconcile.with_receivables(session, None, as_of)
                assert result.differences == [], as_of
                twin = await _twin(uow, as_of)
                assert len(twin) == result.compared
                assert all(ours == theirs for ours, theirs in twin.values()), as_of
                compared += result.compared
    finally:
        await session.close()
    assert compared > 200


async def test_an_unmirrored_payment_shows_as_a_difference_until_the_daily_run(runtime, tenants):
    async with uow_for(runtime, tenants["acme"]) as uow:
        c = await customer(uow, "U-1", "A")
        agreement = await factoring.create_agreement(uow, terms("U-1"))
        inv = await invoice(uow, c, "U-1", START, START + timedelta(days=30), "100.00")
        await factoring.assign(uow, agreement.id, [inv], START, "b")
        await pay(uow, c, inv, "40.00", START + timedelta(days=3), "p")
        await uow.commit()
    session = ReadSession(runtime.engine, tenants["acme"])
    try:
        before = await factoring_reconcile.with_receivables(
            session, agreement.id, START + timedelta(days=5)
        )
        async with uow_for(runtime, tenants["acme"]) as uow:
            await factoring_ledger.daily(uow, START + timedelta(days=5))
            await uow.commit()
        await session.close()
        after = await factoring_reconcile.with_receivables(
            session, agreement.id, START + timedelta(days=5)
        )
    finally:
        await session.close()
    assert [(d.invoice_number, d.factored_minor, d.ledger_minor) for d in before.differences] == [
        ("U-1", 10_000, 6_000)
    ]
    assert after.differences == [] and after.compared == 1
