"""A large order opens a review when it is large against the limit the credit check uses:
the standard limit plus its running increases, an order in another currency converted by the
rate book (no rate: nothing to measure it by, no review)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from services.credit import rates, review_schedule
from services.uow import Actor, UnitOfWork
from tests.services.credit_limits_helpers import TODAY, approved_limit, customer

JOB = Actor("job")


def _order(database: Any, tenant: UUID, cid: UUID, ref: str, currency: str, minor: int) -> None:
    database.query(
        "INSERT INTO sales_orders (tenant_id, order_ref, customer_id, currency, amount_minor,"
        " ordered_on, fingerprint, created_by) VALUES (%s, %s, %s, %s, %s, %s, 'x', 't')",
        tenant, ref, cid, currency, minor, TODAY,
    )  # fmt: skip


async def test_orders_are_measured_against_the_limit_in_force(runtime, tenants, database):
    tenant = tenants["acme"]
    async with UnitOfWork(runtime.engine, tenant, Actor("finance")) as uow:
        await rates.set_rate(uow, "CNY", "SEK", "1.45", TODAY - timedelta(days=3))
        await uow.commit()
    # a SEK limit and a CNY order worth 87% of it; a USD order with no rate to SEK
    sek = await customer(runtime, tenant, "LO-SEK")
    await approved_limit(runtime, tenant, sek, "50000.00", "SEK")
    _order(database, tenant, sek, "SO-SEK-BIG", "CNY", 3_000_000)
    _order(database, tenant, sek, "SO-SEK-USD", "USD", 4_000_000)
    # a 100,000 limit raised to 200,000 for the season: an 80,000 order is not large
    raised = await customer(runtime, tenant, "LO-RAISED")
    await approved_limit(runtime, tenant, raised, "100000.00")
    await approved_limit(
        runtime, tenant, raised, "100000.00", kind="TEMPORARY",
        valid_from=TODAY - timedelta(days=1), valid_to=TODAY + timedelta(days=30),
    )  # fmt: skip
    _order(database, tenant, raised, "SO-RAISED", "CNY", 8_000_000)
    # the same order against the same standard limit without the increase is large
    plain = await customer(runtime, tenant, "LO-PLAIN")
    await approved_limit(runtime, tenant, plain, "100000.00")
    _order(database, tenant, plain, "SO-PLAIN", "CNY", 8_000_000)
    # when the sweep runs
    async with UnitOfWork(runtime.engine, tenant, JOB) as uow:
        await review_schedule.open_event_reviews(uow, TODAY)
        await uow.commit()
    # then the converted order and the unraised one open reviews, the others do not
    opened = database.query(
        "SELECT c.code, o.order_ref FROM credit_reviews r JOIN customers c ON c.id = r.customer_id"
        " JOIN sales_orders o ON o.id::text = r.source_ref WHERE r.trigger = 'LARGE_ORDER'"
        " ORDER BY c.code"
    )
    assert [code for code, _ in opened] == ["LO-PLAIN", "LO-SEK"]
