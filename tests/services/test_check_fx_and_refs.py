"""The check on the real database: converted figures name their rate and replay equal (old
decisions too); a missing rate in a group is a review the exposure view explains; another
customer's order reference is refused and nothing is written."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import orjson
import pytest

from domain.errors import DomainError
from services.credit import orders
from services.credit.decisions import replay
from services.credit.exposure import exposure
from services.credit.orders import OrderIn
from services.customers.credit_files import link_partner
from services.inputs import MoneyIn
from services.read_session import ReadSession
from services.uow import Actor, UnitOfWork
from tests.services.credit_limits_helpers import (
    TODAY,
    approved_limit,
    customer,
    invoice,
    rate,
    run_check,
)

RATE_DAY = TODAY - timedelta(days=2)


async def _replayed(runtime: Any, tenant: UUID, decision_id: UUID) -> Any:
    session = ReadSession(runtime.engine, tenant)
    try:
        return await replay(session, decision_id)
    finally:
        await session.close()


async def _exposure(runtime: Any, tenant: UUID, cid: UUID) -> Any:
    session = ReadSession(runtime.engine, tenant)
    try:
        return await exposure(session, cid, TODAY)
    finally:
        await session.close()


async def _group(runtime: Any, tenant: UUID, prefix: str) -> tuple[UUID, UUID]:
    """A parent with a 50,000.00 CNY group limit, its subsidiary with its own 10,000.00."""
    parent = await customer(runtime, tenant, f"{prefix}-P")
    child = await customer(runtime, tenant, f"{prefix}-S")
    async with UnitOfWork(runtime.engine, tenant, Actor("ana")) as uow:
        await link_partner(uow, parent, child, "SUBSIDIARY", None)
        await uow.commit()
    await approved_limit(runtime, tenant, child, "10000.00")
    await approved_limit(runtime, tenant, parent, "50000.00", scope="GROUP")
    return parent, child


def _counts(database: Any) -> list[tuple[int, int]]:
    return database.query(  # type: ignore[no-any-return]
        "SELECT (SELECT count(*) FROM credit_decisions WHERE kind = 'CREDIT_CHECK'),"
        " (SELECT count(*) FROM credit_reservations)"
    )


async def test_a_foreign_currency_check_names_its_rates_and_replays_equal(runtime, tenants):
    # given: a 10,000.00 CNY limit and 1 EUR = 8 CNY
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "FXL-1")
    await approved_limit(runtime, tenant, cid, "10000.00")
    await rate(runtime, tenant, "EUR", "CNY", "8", RATE_DAY)
    # when: a 2,000.00 EUR order is checked (16,000.00 CNY, over the limit)
    result = await run_check(runtime, tenant, cid, "2000.00", "EUR")
    # then: available (1,250.00 EUR) and the prepayment name the rate and its date
    out = result.outcome
    assert out.outcome.value == "PREPAYMENT_REQUIRED"
    assert (out.available.minor, out.prepayment and out.prepayment.minor) == (125_000, 75_000)
    for conversion in (out.available_conversion, out.prepayment_conversion):
        assert conversion is not None and conversion.rate is not None
        assert (conversion.rate.base, conversion.rate.quote) == ("EUR", "CNY")
        assert conversion.rate.effective_on == RATE_DAY
        assert conversion.source.currency == "CNY" and conversion.amount == out.available
    assert out.utilisation_conversion is not None
    assert out.utilisation_conversion.rate is not None
    assert out.utilisation_conversion.rate.effective_on == RATE_DAY
    # and the logged decision replays equal
    replayed = await _replayed(runtime, tenant, result.decision_id)
    assert replayed.equal, replayed.differences


async def test_a_decision_logged_before_the_labels_replays_equal(runtime, tenants, database):
    # given: a EUR check, stored as rules version 2 stored it (no conversion labels)
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "FXL-2")
    await approved_limit(runtime, tenant, cid, "10000.00")
    await rate(runtime, tenant, "EUR", "CNY", "8", RATE_DAY)
    result = await run_check(runtime, tenant, cid, "2000.00", "EUR")
    [(snapshot, outcome)] = database.query(
        "SELECT snapshot, outcome FROM credit_decisions WHERE id = %s", result.decision_id
    )
    assert outcome["availableConversion"]["rateDate"] == RATE_DAY.isoformat()
    old_outcome = {
        k: v
        for k, v in outcome.items()
        if k not in ("availableConversion", "utilisationAfterConversion", "prepaymentMinimum")
    }
    database.query(
        "UPDATE credit_decisions SET snapshot = CAST(%s AS jsonb), outcome = CAST(%s AS jsonb)"
        " WHERE id = %s",
        orjson.dumps({**snapshot, "rulesVersion": 2}).decode(),
        orjson.dumps({**old_outcome, "rulesVersion": 2}).decode(),
        result.decision_id,
    )
    # when it is replayed, then it is equal
    replayed = await _replayed(runtime, tenant, result.decision_id)
    assert replayed.equal, replayed.differences


async def test_a_group_members_item_without_a_rate_is_a_review_not_a_refusal(
    runtime, tenants, database
):
    # given: the parent owes 100.00 USD and there is no USD/CNY rate
    tenant = tenants["acme"]
    parent, child = await _group(runtime, tenant, "FXG")
    await invoice(runtime, tenant, parent, "FXG-USD", "100.00", currency="USD",
                  due=TODAY + timedelta(days=30))  # fmt: skip
    # when: the subsidiary checks an order with a reservation
    result = await run_check(runtime, tenant, child, "500.00", order_ref="FXG-1", reserve=True)
    # then: an answer, REVIEW_REQUIRED, naming the pair; nothing is held
    out = result.outcome
    assert out.outcome.value == "REVIEW_REQUIRED"
    assert [(f.reason.value, f.pair) for f in out.findings] == [("NO_EXCHANGE_RATE", "USD/CNY")]
    assert result.reservation is None
    assert _counts(database) == [(1, 0)]
    # and the exposure view answers, listing the unconverted amount and its missing rate
    view = await _exposure(runtime, tenant, child)
    [(_, _, group)] = view.groups
    [left] = group.exposure.unconverted
    assert (left.part.value, left.source.minor, left.pair) == ("RECEIVABLES", 10_000, "USD/CNY")
    assert view.standing is not None and view.standing.unconverted == ()
    parent_view = await _exposure(runtime, tenant, parent)
    assert [u.pair for u in parent_view.exposure.unconverted] == ["USD/CNY"]
    # and the logged review replays equal
    assert (await _replayed(runtime, tenant, result.decision_id)).equal
    # once finance enters the rate, the same order is approved and held
    await rate(runtime, tenant, "USD", "CNY", "7", RATE_DAY)
    again = await run_check(runtime, tenant, child, "500.00", order_ref="FXG-1", reserve=True)
    assert again.outcome.outcome.value == "APPROVED" and again.reservation is not None


async def test_an_own_item_without_a_rate_is_a_review(runtime, tenants):
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "FXO-1")
    await approved_limit(runtime, tenant, cid, "10000.00")
    await invoice(runtime, tenant, cid, "FXO-JPY", "1000", currency="JPY",
                  due=TODAY + timedelta(days=9))  # fmt: skip
    result = await run_check(runtime, tenant, cid, "10.00")
    assert result.outcome.outcome.value == "REVIEW_REQUIRED"
    assert [f.pair for f in result.outcome.findings] == ["JPY/CNY"]


async def test_another_customers_order_ref_is_refused_and_nothing_written(
    runtime, tenants, database
):
    # given: SO-X-1 registered as another customer's order
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "REF-1")
    other = await customer(runtime, tenant, "REF-2")
    await approved_limit(runtime, tenant, cid, "100000.00")
    async with UnitOfWork(runtime.engine, tenant, Actor("erp")) as uow:
        await orders.create_order(
            uow, OrderIn("SO-X-1", other, MoneyIn("20000.00", "CNY"), TODAY), TODAY
        )
        await uow.commit()
    # when: this customer checks it, with a reservation and without
    for reserve in (True, False):
        with pytest.raises(DomainError) as refused:
            await run_check(runtime, tenant, cid, "100.00", order_ref="SO-X-1", reserve=reserve)
        # then: refused on orderRef, naming no other customer
        assert (refused.value.code, refused.value.field) == ("ORDER_REF_TAKEN", "orderRef")
        assert "REF-2" not in refused.value.message
    assert _counts(database) == [(0, 0)]
    # the owner's own check of it is unchanged: registered, nothing held
    own = await run_check(runtime, tenant, other, "100.00", order_ref="SO-X-1", reserve=True)
    assert own.order_registered is True and own.reservation is None
