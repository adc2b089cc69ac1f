"""The credit check through the services: answers, reasons, reservations, the log."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal

from services.credit import check, holds, orders
from services.credit.decisions import replay_decision
from services.credit.orders import OrderIn
from services.inputs import MoneyIn
from services.uow import Actor, UnitOfWork
from tests.services.credit_limits_helpers import (
    MANAGER,
    SALES,
    TODAY,
    approved_limit,
    customer,
    invoice,
    rate,
    run_check,
)


async def test_within_the_limit_is_approved_with_headroom_and_breakdown(runtime, tenants, database):
    # given: a B customer with a 10,000.00 limit, 3,000.00 invoiced and a 1,000.00 order
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "K-1")
    await approved_limit(runtime, tenant, cid, "10000.00")
    await invoice(runtime, tenant, cid, "INV-1", "3000.00", due=TODAY + timedelta(days=30))
    async with UnitOfWork(runtime.engine, tenant, Actor("erp")) as uow:
        await orders.create_order(
            uow, OrderIn("SO-1", cid, MoneyIn("1000.00", "CNY"), TODAY), TODAY
        )
        await uow.commit()
    # when
    result = await run_check(runtime, tenant, cid, "2000.00")
    # then
    out = result.outcome
    assert out.outcome.value == "APPROVED"
    assert out.findings == ()
    assert out.standing is not None
    assert out.standing.headroom.minor == 600_000
    assert out.standing.exposure.part(out.standing.exposure.receivables).minor == 300_000
    assert out.standing.exposure.part(out.standing.exposure.orders).minor == 100_000
    assert str(out.standing.utilisation) == "0.4000"
    assert database.query(
        "SELECT kind, outcome->>'outcome' FROM credit_decisions WHERE kind = 'CREDIT_CHECK'"
    ) == [("CREDIT_CHECK", "APPROVED")]


async def test_over_the_limit_asks_prepayment_of_the_excess(runtime, tenants):
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "K-2")
    await approved_limit(runtime, tenant, cid, "5000.00")
    await invoice(runtime, tenant, cid, "INV-2", "4000.00", due=TODAY + timedelta(days=30))
    result = await run_check(runtime, tenant, cid, "1500.00")
    assert result.outcome.outcome.value == "PREPAYMENT_REQUIRED"
    assert [f.reason.value for f in result.outcome.findings] == ["OVER_LIMIT"]
    assert result.outcome.prepayment is not None
    assert result.outcome.prepayment.minor == 50_000


async def test_class_d_prepays_every_order_and_a_hold_blocks(runtime, tenants):
    tenant = tenants["acme"]
    d_class = await customer(runtime, tenant, "K-D", rating="D")
    await approved_limit(runtime, tenant, d_class, "5000.00")
    result = await run_check(runtime, tenant, d_class, "10.00")
    assert result.outcome.outcome.value == "PREPAYMENT_REQUIRED"
    assert result.outcome.prepayment is not None and result.outcome.prepayment.minor == 1000
    # a credit hold (a credit manager's, with a reason) blocks
    held = await customer(runtime, tenant, "K-H")
    await approved_limit(runtime, tenant, held, "5000.00")
    async with UnitOfWork(runtime.engine, tenant, MANAGER) as uow:
        await holds.set_hold(uow, held, True, "cheque bounced")
        await uow.commit()
    blocked = await run_check(runtime, tenant, held, "10.00")
    assert blocked.outcome.outcome.value == "BLOCKED"
    assert [f.reason.value for f in blocked.outcome.findings] == ["CREDIT_HOLD"]


async def test_no_limit_and_long_overdue_need_review_or_block(runtime, tenants):
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "K-3")
    review = await run_check(runtime, tenant, cid, "10.00")
    assert review.outcome.outcome.value == "REVIEW_REQUIRED"
    assert [f.reason.value for f in review.outcome.findings] == ["NO_LIMIT"]
    await approved_limit(runtime, tenant, cid, "5000.00")
    await invoice(
        runtime, tenant, cid, "OLD-1", "10.00",
        issued=TODAY - timedelta(days=200), due=TODAY - timedelta(days=91),
    )  # fmt: skip
    blocked = await run_check(runtime, tenant, cid, "10.00")
    assert blocked.outcome.outcome.value == "BLOCKED"
    assert "OVERDUE_BLOCK" in [f.reason.value for f in blocked.outcome.findings]


async def test_foreign_currency_exposure_converts_through_the_rate_table(runtime, tenants):
    # given: a CNY limit, a USD invoice and a USD/CNY rate
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "K-4")
    await approved_limit(runtime, tenant, cid, "10000.00")
    await invoice(
        runtime, tenant, cid, "USD-1", "100.00", currency="USD", due=TODAY + timedelta(days=9)
    )
    # when no rate exists, the check is sent to review, naming the missing pair
    review = await run_check(runtime, tenant, cid, "10.00")
    assert [(f.reason.value, f.pair) for f in review.outcome.findings] == [
        ("NO_EXCHANGE_RATE", "USD/CNY")
    ]
    await rate(runtime, tenant, "USD", "CNY", "7.1234", TODAY - timedelta(days=2))
    result = await run_check(runtime, tenant, cid, "10.00")
    standing = result.outcome.standing
    assert standing is not None
    [converted] = standing.exposure.receivables
    assert converted.amount.minor == 71_234
    assert converted.rate is not None and converted.rate.effective_on == TODAY - timedelta(days=2)


async def test_a_reservation_holds_headroom_until_it_expires_without_any_sweep(runtime, tenants):
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "K-5")
    await approved_limit(runtime, tenant, cid, "100.00")
    first = await run_check(
        runtime, tenant, cid, "80.00", order_ref="SO-A", reserve=True, ttl_seconds=1
    )
    assert first.reservation is not None and first.reservation.amount.minor == 8000
    second = await run_check(runtime, tenant, cid, "80.00", order_ref="SO-B")
    assert second.outcome.outcome.value == "PREPAYMENT_REQUIRED"
    await asyncio.sleep(1.2)
    third = await run_check(runtime, tenant, cid, "80.00", order_ref="SO-B")
    assert third.outcome.outcome.value == "APPROVED"


async def test_every_check_replays_equal(runtime, tenants, database):
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "K-6")
    await approved_limit(runtime, tenant, cid, "100.00")
    result = await run_check(runtime, tenant, cid, "120.00", order_ref="SO-X", reserve=True)
    from services.read_session import ReadSession

    session = ReadSession(runtime.engine, tenant)
    try:
        decision, _ = await check.reservations_of(session, cid, True, None, 10)
        assert decision[0].amount.minor == 10_000
        from services.credit import decisions

        loaded = await decisions.by_id(session, result.decision_id)
    finally:
        await session.close()
    assert loaded is not None
    replay = replay_decision(loaded)
    assert replay.equal, replay.differences


async def test_checking_the_same_order_again_replaces_its_reservation(runtime, tenants, database):
    # given: a limit of 100.00 and a reservation of 70.00 for SO-R
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "K-7")
    await approved_limit(runtime, tenant, cid, "100.00")
    await run_check(runtime, tenant, cid, "70.00", order_ref="SO-R", reserve=True)
    # when: the order grows to 90.00 and is checked again (its own reservation left out)
    again = await run_check(runtime, tenant, cid, "90.00", order_ref="SO-R", reserve=True)
    # then: approved, and only the new reservation holds headroom
    assert again.outcome.outcome.value == "APPROVED"
    assert database.query(
        "SELECT status, amount_minor FROM credit_reservations ORDER BY created_at, amount_minor"
    ) == [("RELEASED", 7000), ("ACTIVE", 9000)]


async def test_a_refused_recheck_ends_the_hold_and_release_is_idempotent(
    runtime, tenants, database
):
    # given: a reservation for SO-Q, then a credit hold
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "K-8")
    await approved_limit(runtime, tenant, cid, "100.00")
    first = await run_check(runtime, tenant, cid, "70.00", order_ref="SO-Q", reserve=True)
    async with UnitOfWork(runtime.engine, tenant, MANAGER) as uow:
        await holds.set_hold(uow, cid, True, "legal dispute")
        await uow.commit()
    # when: the order is checked again, and the old reservation released twice
    refused = await run_check(runtime, tenant, cid, "70.00", order_ref="SO-Q", reserve=True)
    assert first.reservation is not None
    for _ in range(2):
        async with UnitOfWork(runtime.engine, tenant, MANAGER) as uow:
            released = await check.release_reservation(uow, first.reservation.id)
            await uow.commit()
    # then
    assert refused.outcome.outcome.value == "BLOCKED" and refused.reservation is None
    assert released.status == "RELEASED"
    assert database.query("SELECT status FROM credit_reservations") == [("RELEASED",)]


async def test_the_rates_read_with_the_facts_are_the_book_a_read_of_its_own_gives(runtime, tenants):
    """The check converts with the rates its facts statement brings: for every set of the
    currencies it names they are what rates.book_for reads (newest date, then newest entry,
    nothing after the day), and a currency it did not name falls back to that read."""
    from services.credit import rates
    from services.credit.exposure import gather

    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "K-FX")
    for base, quote, value, days_ago in (
        ("USD", "CNY", "7.10", 9), ("USD", "CNY", "7.20", 3), ("USD", "CNY", "7.25", 3),
        ("USD", "CNY", "9.99", -2), ("CNY", "HKD", "1.08", 5), ("HKD", "USD", "0.128", 1),
        ("EUR", "CNY", "7.80", 4), ("EUR", "HKD", "8.40", 2), ("JPY", "CNY", "0.05", 4),
    ):  # fmt: skip
        await rate(runtime, tenant, base, quote, value, TODAY - timedelta(days=days_ago))
    await approved_limit(runtime, tenant, cid, "10000.00", currency="HKD")
    await invoice(runtime, tenant, cid, "FX-1", "50.00", currency="USD", due=TODAY)
    async with UnitOfWork(runtime.engine, tenant, SALES) as uow:
        facts = await gather(uow.conn, tenant, cid, TODAY, currency="EUR")
        assert facts.rate_currencies == {"CNY", "USD", "HKD", "EUR"}
        for needed in ({"CNY"}, {"CNY", "USD"}, {"USD", "HKD", "EUR"}, set(facts.rate_currencies)):
            read = await rates.book_for(uow.conn, needed, TODAY, "CNY")  # the base crossed
            assert facts.rate_book(needed, TODAY) == read
        assert facts.rate_book({"CNY", "JPY"}, TODAY) is None
    book = facts.rate_book({"CNY", "USD"}, TODAY)
    assert book is not None and [r.rate for r in book.rates] == [Decimal("7.25")]
    # and a check in a currency of its own converts and replays equal
    result = await run_check(runtime, tenant, cid, "10.00", currency="EUR")
    assert {(r.base, r.quote) for r in result.input.rates} == {
        ("CNY", "HKD"),
        ("EUR", "CNY"),
        ("EUR", "HKD"),
        ("HKD", "USD"),
        ("USD", "CNY"),
    }
    assert replay_decision(await _decision(runtime, tenant, result.decision_id)).equal


async def _decision(runtime, tenant, decision_id):
    from services.credit import decisions
    from services.read_session import ReadSession

    session = ReadSession(runtime.engine, tenant)
    try:
        return await decisions.by_id(session, decision_id)
    finally:
        await session.close()
