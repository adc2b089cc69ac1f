"""Open orders: registered once per reference, changed, shipped, cancelled, consumed by
their invoices (the trigger against its pure twin), confirming reservations."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from domain.credit.exposure import OrderState, OrderStatus, consume
from domain.errors import DomainError
from services.credit import orders
from services.credit.orders import OrderIn
from services.inputs import MoneyIn
from services.uow import Actor, UnitOfWork
from tests.services.credit_limits_helpers import (
    TODAY,
    approved_limit,
    customer,
    invoice,
    run_check,
)

ERP = Actor("erp", frozenset({"integrator"}))


async def _create(runtime, tenant, cid, ref, amount, currency="CNY"):
    async with UnitOfWork(runtime.engine, tenant, ERP) as uow:
        view, replayed = await orders.create_order(
            uow, OrderIn(ref, cid, MoneyIn(amount, currency), TODAY), TODAY
        )
        await uow.commit()
    return view, replayed


async def _act(runtime, tenant, fn, *args):
    async with UnitOfWork(runtime.engine, tenant, ERP) as uow:
        view = await fn(uow, *args)
        await uow.commit()
    return view


async def test_an_order_is_registered_once_per_reference(runtime, tenants, database):
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "O-1")
    first, replayed_first = await _create(runtime, tenant, cid, "SO-1", "100.00")
    again, replayed_again = await _create(runtime, tenant, cid, "SO-1", "100.00")
    assert (replayed_first, replayed_again, again.id) == (False, True, first.id)
    with pytest.raises(DomainError) as other:
        await _create(runtime, tenant, cid, "SO-1", "999.00")
    assert other.value.code == "IDEMPOTENCY_MISMATCH"
    assert database.query("SELECT count(*) FROM sales_orders") == [(1,)]


async def test_change_ship_and_cancel(runtime, tenants, database):
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "O-2")
    await _create(runtime, tenant, cid, "SO-2", "100.00")
    changed = await _act(runtime, tenant, orders.change_order, "SO-2", MoneyIn("150.00", "CNY"))
    assert (changed.amount.minor, changed.open.minor, changed.version) == (15_000, 15_000, 2)
    with pytest.raises(DomainError) as currency:
        await _act(runtime, tenant, orders.change_order, "SO-2", MoneyIn("1.00", "USD"))
    assert currency.value.code == "CURRENCY_MISMATCH"
    shipped = await _act(runtime, tenant, orders.ship_order, "SO-2", TODAY, TODAY)
    again = await _act(runtime, tenant, orders.ship_order, "SO-2", TODAY, TODAY)
    assert (shipped.status, again.version) == ("SHIPPED", shipped.version)
    with pytest.raises(DomainError) as delivered:  # shipped goods are owed until invoiced
        await _act(runtime, tenant, orders.cancel_order, "SO-2", "customer withdrew")
    assert delivered.value.code == "INVALID_STATUS"
    await _create(runtime, tenant, cid, "SO-2b", "100.00")
    cancelled = await _act(runtime, tenant, orders.cancel_order, "SO-2b", "customer withdrew")
    assert (cancelled.status, cancelled.open.minor) == ("CANCELLED", 0)
    with pytest.raises(DomainError) as late:
        await _act(runtime, tenant, orders.ship_order, "SO-2b", TODAY, TODAY)
    assert late.value.code == "INVALID_STATUS"
    assert database.query(
        "SELECT action FROM audit_log WHERE entity_type = 'SalesOrder' ORDER BY id"
    ) == [
        ("CREATE_SALES_ORDER",),
        ("CHANGE_SALES_ORDER",),
        ("SHIP_SALES_ORDER",),
        ("CREATE_SALES_ORDER",),
        ("CANCEL_SALES_ORDER",),
    ]


async def test_an_invoice_consumes_its_order_so_nothing_counts_twice(runtime, tenants):
    # given: a limit, an order of 600.00 and then its invoice of 400.00, then of 200.00
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "O-3")
    await approved_limit(runtime, tenant, cid, "1000.00")
    await _create(runtime, tenant, cid, "SO-3", "600.00")
    await invoice(runtime, tenant, cid, "I-3a", "400.00", order_ref="SO-3")
    partly = await run_check(runtime, tenant, cid, "1.00")
    await invoice(runtime, tenant, cid, "I-3b", "200.00", order_ref="SO-3")
    fully = await run_check(runtime, tenant, cid, "1.00")
    # then: exposure is 600.00 both times, first 400 + 200, then 600 + 0
    for result, (owed, ordered) in ((partly, (40_000, 20_000)), (fully, (60_000, 0))):
        standing = result.outcome.standing
        assert standing is not None
        exposure = standing.exposure
        assert (
            exposure.part(exposure.receivables).minor,
            exposure.part(exposure.orders).minor,
        ) == (
            owed,
            ordered,
        )


async def test_an_order_registered_after_its_invoice_starts_consumed(runtime, tenants):
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "O-4")
    await invoice(runtime, tenant, cid, "I-4", "250.00", order_ref="SO-4")
    view, _ = await _create(runtime, tenant, cid, "SO-4", "200.00")
    assert (view.status, view.open.minor) == ("INVOICED", 0)


async def test_an_order_confirms_the_reservation_of_its_reference(runtime, tenants, database):
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "O-5")
    await approved_limit(runtime, tenant, cid, "100.00")
    reserved = await run_check(runtime, tenant, cid, "60.00", order_ref="SO-5", reserve=True)
    view, _ = await _create(runtime, tenant, cid, "SO-5", "60.00")
    assert database.query("SELECT status, order_id FROM credit_reservations") == [
        ("CONFIRMED", view.id)
    ]
    after = await run_check(runtime, tenant, cid, "50.00")
    assert reserved.reservation is not None
    assert after.outcome.outcome.value == "PREPAYMENT_REQUIRED"  # 60 ordered, 40 left
    # and a confirmed reservation cannot be released: the order counts now, not the hold
    from services.credit import check

    with pytest.raises(DomainError) as refused:
        async with UnitOfWork(runtime.engine, tenant, ERP) as uow:
            await check.release_reservation(uow, reserved.reservation.id)
    assert (refused.value.code, refused.value.field) == ("INVALID_STATUS", "id")
    assert database.query("SELECT status FROM credit_reservations") == [("CONFIRMED",)]


async def test_the_consuming_trigger_matches_its_pure_twin(runtime, tenants, database):
    # given: orders and, in a random order, invoices naming them (some in another currency)
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "O-T")
    rng = random.Random(10)
    expected: dict[str, OrderState] = {}
    for n in range(12):
        amount = rng.randint(1, 50) * 100
        await _create(runtime, tenant, cid, f"T-{n}", f"{amount}.00")
        expected[f"T-{n}"] = OrderState("CNY", amount * 100, 0, OrderStatus.OPEN)
    await _act(runtime, tenant, orders.cancel_order, "T-0", "gone")
    expected["T-0"] = OrderState("CNY", expected["T-0"].amount_minor, 0, OrderStatus.CANCELLED)
    for n in range(30):
        ref = f"T-{rng.randrange(12)}"
        currency = "USD" if rng.random() < 0.1 else "CNY"
        amount = rng.randint(1, 30) * 100
        await invoice(
            runtime, tenant, cid, f"TI-{n}", f"{amount}.00", currency=currency,
            due=TODAY + timedelta(days=30), order_ref=ref,
        )  # fmt: skip
        expected[ref] = consume(expected[ref], currency, amount * 100)
    # then: the database's orders are what the pure rule says
    stored = {
        ref: OrderState(cur.strip(), amount, invoiced, OrderStatus(status))
        for ref, cur, amount, invoiced, status in database.query(
            "SELECT order_ref, currency, amount_minor, invoiced_minor, status FROM sales_orders"
        )
    }
    assert stored == expected
