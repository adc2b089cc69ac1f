"""Two writers at once on each money-moving risk-transfer path: one wins, the other is refused,
nothing is lost or doubled."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from domain.errors import DomainError, ValidationFailed
from services.risk import claims, factoring, factoring_ledger, insurance_notifications
from tests.services.risk_fixtures import cover, customer, invoice, policy, uow_for
from tests.services.test_risk_factoring import terms

ON = date(2026, 5, 1)


async def _race(runtime, tenant, *works):  # type: ignore[no-untyped-def]
    """Run each work in its own unit of work at once; their outcomes (result or refusal)."""

    async def one(work):  # type: ignore[no-untyped-def]
        async with uow_for(runtime, tenant) as uow:
            try:
                result = await work(uow)
            except (DomainError, ValidationFailed) as exc:
                return exc
            await uow.commit()
            return result

    return await asyncio.gather(*(one(w) for w in works))


async def test_two_batches_racing_for_one_invoice_assign_it_once(runtime, tenants, database):
    async with uow_for(runtime, tenants["acme"]) as uow:
        c = await customer(uow, "RACE-1", "A")
        agreement = (await factoring.create_agreement(uow, terms("RACE"))).id
        inv = await invoice(uow, c, "RC-1", ON, ON + timedelta(days=30), "100.00")
        await uow.commit()
    outcomes = await _race(
        runtime,
        tenants["acme"],
        lambda uow: factoring.assign(uow, agreement, [inv], ON, "k1"),
        lambda uow: factoring.assign(uow, agreement, [inv], ON, "k2"),
    )
    refused = [o for o in outcomes if isinstance(o, ValidationFailed)]
    assert len(refused) == 1 and refused[0].errors[0].code == "ALREADY_ASSIGNED"
    assert database.query("SELECT count(*) FROM factored_invoices") == [(1,)]
    assert database.query(
        "SELECT kind, count(*) FROM factoring_entries GROUP BY kind ORDER BY kind"
    ) == [("ADVANCE", 1), ("ASSIGNMENT", 1), ("COMMISSION", 1), ("RESERVE", 1)]


async def test_two_collections_racing_past_the_open_amount_post_one(runtime, tenants, database):
    async with uow_for(runtime, tenants["acme"]) as uow:
        c = await customer(uow, "RACE-2", "A")
        agreement = (await factoring.create_agreement(uow, terms("RACE-2"))).id
        inv = await invoice(uow, c, "RC-2", ON, ON + timedelta(days=30), "100.00")
        await factoring.assign(uow, agreement, [inv], ON, "a")
        await uow.commit()
    day = ON + timedelta(days=5)
    outcomes = await _race(
        runtime,
        tenants["acme"],
        lambda uow: factoring_ledger.record_collection(uow, inv, "80.00", day, "FACTOR", None, "x"),
        lambda uow: factoring_ledger.record_collection(uow, inv, "80.00", day, "FACTOR", None, "y"),
    )
    assert sum(isinstance(o, DomainError) for o in outcomes) == 1
    assert database.query("SELECT open_minor FROM invoices") == [(2_000,)]
    assert database.query(
        "SELECT sum(amount_minor) FROM factoring_entries WHERE kind = 'COLLECTION'"
    ) == [(8_000,)]


async def test_two_claims_racing_for_one_invoice_file_one(runtime, tenants, database):
    async with uow_for(runtime, tenants["acme"]) as uow:
        c = await customer(uow, "RACE-3", "A")
        p = await policy(uow)
        await cover(uow, p, c, "10000.00", date(2026, 1, 15))
        inv = await invoice(uow, c, "RC-3", date(2026, 3, 1), date(2026, 3, 31), "5000.00")
        await insurance_notifications.notify_insurer(uow, c, [inv], date(2026, 5, 1))
        await uow.commit()
    outcomes = await _race(
        runtime,
        tenants["acme"],
        lambda uow: claims.file_claim(uow, c, [inv], date(2026, 6, 1), "c1"),
        lambda uow: claims.file_claim(uow, c, [inv], date(2026, 6, 1), "c2"),
    )
    assert sum(isinstance(o, (DomainError, ValidationFailed)) for o in outcomes) == 1
    assert database.query("SELECT count(*) FROM insurance_claims") == [(1,)]
    claim = next(o for o in outcomes if isinstance(o, claims.ClaimStep)).claim_id
    # and two payments racing past the indemnity (90% of 5,000.00 = 4,500.00): one posts
    paid = await _race(
        runtime,
        tenants["acme"],
        lambda uow: claims.record_payment(uow, claim, "3000.00", date(2026, 7, 1), None, "p1"),
        lambda uow: claims.record_payment(uow, claim, "3000.00", date(2026, 7, 1), None, "p2"),
    )
    assert sum(isinstance(o, DomainError) for o in paid) == 1
    assert database.query("SELECT status, paid_minor FROM insurance_claims") == [
        ("PARTLY_PAID", 300_000)
    ]
