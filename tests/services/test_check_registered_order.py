"""A reserving re-check of a registered order holds nothing more (another customer's is
refused); a missing rate for the amount's currency names the field the client wrote, one for
an open item is a review."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import DomainError
from services.credit import orders
from services.credit.decisions import replay
from services.credit.exposure import exposure
from services.credit.orders import OrderIn
from services.inputs import MoneyIn
from services.read_session import ReadSession
from services.uow import Actor, UnitOfWork
from tests.services.credit_limits_helpers import (
    TODAY,
    approved_limit,
    customer,
    invoice,
    run_check,
)


async def _order(runtime, tenant, cid, ref: str, amount: str) -> None:
    async with UnitOfWork(runtime.engine, tenant, Actor("erp")) as uow:
        await orders.create_order(uow, OrderIn(ref, cid, MoneyIn(amount, "CNY"), TODAY), TODAY)
        await uow.commit()


async def _exposure_parts(runtime, tenant, cid) -> tuple[int, int]:
    """The customer's open orders and live reservations, in minor units."""
    session = ReadSession(runtime.engine, tenant)
    try:
        view = await exposure(session, cid, TODAY)
    finally:
        await session.close()
    b = view.exposure
    return b.part(b.orders).minor, b.part(b.reservations).minor


async def test_rechecking_a_registered_order_reserves_nothing(runtime, tenants, database):
    # given: a 100,000.00 limit and order SO-Y-1 of 20,000.00 registered
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "RO-1")
    await approved_limit(runtime, tenant, cid, "100000.00")
    await _order(runtime, tenant, cid, "SO-Y-1", "20000.00")
    # when: the order is checked again with a reservation
    result = await run_check(
        runtime, tenant, cid, "20000.00", order_ref="SO-Y-1", reserve=True, ttl_seconds=3600
    )
    # then: it is decided as before (the order's own amount left out), but nothing is held:
    # the registered order counts in exposure itself, once
    assert result.outcome.outcome.value == "APPROVED"
    assert result.order_registered is True
    assert result.reservation is None
    assert result.outcome.reserve is None
    assert result.input.reserve is False  # the snapshot says why the outcome holds nothing
    standing = result.outcome.standing
    assert standing is not None and standing.headroom.minor == 10_000_000
    assert database.query("SELECT count(*) FROM credit_reservations WHERE status = 'ACTIVE'") == [
        (0,)
    ]
    assert await _exposure_parts(runtime, tenant, cid) == (2_000_000, 0)
    # and the logged decision replays equal
    session = ReadSession(runtime.engine, tenant)
    try:
        replayed = await replay(session, result.decision_id)
    finally:
        await session.close()
    assert replayed.equal


async def test_reserve_then_register_then_recheck_counts_the_order_once(runtime, tenants, database):
    # given: a reservation for SO-Y-2, confirmed by registering the order
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "RO-2")
    await approved_limit(runtime, tenant, cid, "100000.00")
    first = await run_check(runtime, tenant, cid, "20000.00", order_ref="SO-Y-2", reserve=True)
    assert first.reservation is not None and first.order_registered is False
    await _order(runtime, tenant, cid, "SO-Y-2", "20000.00")
    # when: the order is checked again, larger, with a reservation
    again = await run_check(runtime, tenant, cid, "25000.00", order_ref="SO-Y-2", reserve=True)
    # then: decided at 25,000.00 against exposure without the order, nothing more held
    assert again.outcome.outcome.value == "APPROVED"
    assert again.order_registered is True and again.reservation is None
    assert database.query(
        "SELECT status, amount_minor FROM credit_reservations ORDER BY created_at"
    ) == [("CONFIRMED", 2_000_000)]
    assert await _exposure_parts(runtime, tenant, cid) == (2_000_000, 0)


async def test_another_customers_order_under_the_ref_is_refused(runtime, tenants, database):
    # given: SO-Y-3 registered for another customer
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "RO-3")
    other = await customer(runtime, tenant, "RO-4")
    await approved_limit(runtime, tenant, cid, "100000.00")
    await _order(runtime, tenant, other, "SO-Y-3", "20000.00")
    # when / then: no registration of this customer could ever confirm such a hold
    with pytest.raises(DomainError) as refused:
        await run_check(runtime, tenant, cid, "100.00", order_ref="SO-Y-3", reserve=True)
    assert (refused.value.code, refused.value.field) == ("ORDER_REF_TAKEN", "orderRef")
    assert database.query("SELECT count(*) FROM credit_reservations") == [(0,)]


async def test_no_rate_for_the_amounts_currency_names_the_currency_field(runtime, tenants):
    # given: a CNY limit and no EUR rate
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "FX-1")
    await approved_limit(runtime, tenant, cid, "10000.00")
    # when / then: the amount's currency is the field the client wrote
    with pytest.raises(DomainError) as refused:
        await run_check(runtime, tenant, cid, "10.00", currency="EUR")
    assert (refused.value.code, refused.value.field) == ("NO_EXCHANGE_RATE", "currency")
    assert "EUR/CNY" in refused.value.message


async def test_no_rate_for_an_open_item_is_a_review_naming_the_pair(runtime, tenants):
    # given: a CNY limit, a USD invoice and no USD/CNY rate: nothing the client wrote is at fault
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "FX-2")
    await approved_limit(runtime, tenant, cid, "10000.00")
    await invoice(
        runtime, tenant, cid, "USD-9", "100.00", currency="USD", due=TODAY + timedelta(days=9)
    )
    # when / then: an answer a credit person gives, naming the missing pair
    result = await run_check(runtime, tenant, cid, "10.00")
    assert result.outcome.outcome.value == "REVIEW_REQUIRED"
    assert [(f.reason.value, f.pair) for f in result.outcome.findings] == [
        ("NO_EXCHANGE_RATE", "USD/CNY")
    ]
