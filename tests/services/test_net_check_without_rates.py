"""Net of cover, a figure with no rate is left out and shown, never a refusal: an open item
with no rate sends the check to review naming the pair, a cover with no rate just gives no
relief (replaying equal, as do checks logged before that), and both waterfalls list what they
left out."""

from __future__ import annotations

from copy import deepcopy
from dataclasses import replace
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.errors import DomainError
from domain.risk.waterfall import Figure
from services.credit.decisions import by_id, replay, replay_decision
from services.inputs import MoneyIn
from services.read_session import ReadSession
from services.risk import security_settings, waterfall
from services.risk.net_basis import retained_shares
from services.risk.security_settings import SettingsIn
from tests.services import credit_limits_helpers as credit
from tests.services.risk_security_helpers import guarantee, guarantee_in, guarantor, uow

TODAY = credit.TODAY
RATE_DAY = TODAY - timedelta(days=2)


async def _net_basis(runtime: Any, tenant: UUID) -> None:
    async with uow(runtime, tenant) as work:
        await security_settings.update(work, 0, SettingsIn(check_basis="NET"))
        await work.commit()


async def _bank_guarantee(
    runtime: Any, tenant: UUID, cid: UUID, amount: MoneyIn, reference: str = "G-1"
) -> UUID:
    return await guarantee(runtime, tenant, guarantee_in(
        await guarantor(runtime, tenant), cid, reference=reference, kind="BANK_GUARANTEE",
        amount=amount,
        valid_from=date(2020, 1, 1), valid_to=TODAY + timedelta(days=365),
    ))  # fmt: skip


async def _replayed_equal(runtime: Any, tenant: UUID, decision_id: UUID) -> bool:
    session = ReadSession(runtime.engine, tenant)
    try:
        found = await replay(session, decision_id)
    finally:
        await session.close()
    return bool(found.equal)


def _counts(database: Any) -> list[tuple[int, int]]:
    return database.query(  # type: ignore[no-any-return]
        "SELECT (SELECT count(*) FROM credit_decisions WHERE kind = 'CREDIT_CHECK'),"
        " (SELECT count(*) FROM credit_reservations)"
    )


async def _customer_with_usd_debt(runtime: Any, tenant: UUID, code: str) -> UUID:
    """A 10,000.00 CNY limit, 9,000.00 CNY and 100.00 USD open, a 5,000.00 CNY bank guarantee."""
    cid = await credit.customer(runtime, tenant, code)
    await credit.approved_limit(runtime, tenant, cid, "10000.00")
    await credit.invoice(runtime, tenant, cid, f"{code}-CNY", "9000.00",
                         due=TODAY + timedelta(days=30))  # fmt: skip
    await credit.invoice(runtime, tenant, cid, f"{code}-USD", "100.00", currency="USD",
                         due=TODAY + timedelta(days=30))  # fmt: skip
    await _bank_guarantee(runtime, tenant, cid, MoneyIn("5000.00", "CNY"))
    return cid


async def test_an_open_item_without_a_rate_is_a_review_net_of_cover(runtime, tenants, database):
    # given: net basis, and no USD/CNY rate for the 100.00 USD open
    tenant = tenants["acme"]
    cid = await _customer_with_usd_debt(runtime, tenant, "NFX-1")
    await _net_basis(runtime, tenant)
    # when: a reserving check of 2,000.00 CNY
    result = await credit.run_check(runtime, tenant, cid, "2000.00", order_ref="NFX-O1",
                                    reserve=True)  # fmt: skip
    # then: an answer, REVIEW_REQUIRED, naming the pair; nothing held
    out = result.outcome
    assert out.outcome.value == "REVIEW_REQUIRED"
    assert [(f.reason.value, f.pair) for f in out.findings] == [("NO_EXCHANGE_RATE", "USD/CNY")]
    assert result.reservation is None
    assert _counts(database) == [(1, 0)]
    # the snapshot keeps the USD item as read and the cover's relief over what converts
    receivables = [(m.minor, m.currency) for m in result.input.exposure.receivables]
    assert receivables == [(900_000, "CNY"), (10_000, "USD"), (-500_000, "CNY")]
    assert out.standing is not None
    assert [(u.source.minor, u.pair) for u in out.standing.unconverted] == [(10_000, "USD/CNY")]
    assert out.standing.exposure.total.minor == 400_000
    # and the logged review replays equal
    assert await _replayed_equal(runtime, tenant, result.decision_id)
    # once finance enters the rate, the same order is approved net (9,000 + 700 - 5,000 + 2,000)
    await credit.rate(runtime, tenant, "USD", "CNY", "7", RATE_DAY)
    again = await credit.run_check(runtime, tenant, cid, "2000.00", order_ref="NFX-O1",
                                   reserve=True)  # fmt: skip
    assert again.outcome.outcome.value == "APPROVED" and again.reservation is not None
    assert again.outcome.standing is not None
    assert again.outcome.standing.headroom.minor == 1_000_000 - 470_000


async def test_a_cover_without_a_rate_gives_no_relief_net_of_cover(runtime, tenants, database):
    # given: net basis, 9,000.00 CNY open, a 1,000.00 USD bank guarantee and no USD/CNY rate
    tenant = tenants["acme"]
    cid = await credit.customer(runtime, tenant, "NFX-2")
    await credit.approved_limit(runtime, tenant, cid, "10000.00")
    await credit.invoice(runtime, tenant, cid, "NFX-2-CNY", "9000.00",
                         due=TODAY + timedelta(days=30))  # fmt: skip
    await _bank_guarantee(runtime, tenant, cid, MoneyIn("1000.00", "USD"))
    await _net_basis(runtime, tenant)
    # when
    result = await credit.run_check(runtime, tenant, cid, "500.00")
    # then: a cover can only lower exposure, so one no rate converts is simply left out of
    # the relief: approved as on the gross basis, no review for it
    out = result.outcome
    assert out.outcome.value == "APPROVED"
    assert out.findings == ()
    receivables = [(m.minor, m.currency) for m in result.input.exposure.receivables]
    assert receivables == [(900_000, "CNY")]
    assert out.standing is not None and out.standing.unconverted == ()
    assert await _replayed_equal(runtime, tenant, result.decision_id)
    assert _counts(database) == [(1, 0)]
    # the waterfall still lists the cover left out
    view = await _view(runtime, tenant, cid)
    assert [(u.figure, u.pair) for u in view.unconverted] == [(Figure.GUARANTEE, "USD/CNY")]
    # a check logged before (the cover carried as a negative USD entry, so a review naming
    # the pair) replays from its snapshot alone, and still equal
    session = ReadSession(runtime.engine, tenant)
    try:
        logged = await by_id(session, result.decision_id)
    finally:
        await session.close()
    assert logged is not None
    earlier = deepcopy(logged.snapshot)
    earlier["exposure"]["receivables"].append({"minor": -100_000, "currency": "USD"})
    recomputed = replay_decision(replace(logged, snapshot=earlier, outcome={})).recomputed
    assert recomputed is not None and recomputed["outcome"] == "REVIEW_REQUIRED"
    assert "USD/CNY" in str(recomputed)
    assert replay_decision(replace(logged, snapshot=earlier, outcome=recomputed)).equal


async def _view(runtime: Any, tenant: UUID, cid: UUID, currency: str | None = None) -> Any:
    session = ReadSession(runtime.engine, tenant)
    try:
        return await waterfall.risk_waterfall(session, cid, TODAY, currency)
    finally:
        await session.close()


async def _portfolio(runtime: Any, tenant: UUID, currency: str | None = None) -> Any:
    session = ReadSession(runtime.engine, tenant)
    try:
        return await waterfall.portfolio_waterfall(session, TODAY, currency)
    finally:
        await session.close()


async def test_both_waterfalls_show_what_no_rate_converts(runtime, tenants):
    # given: 9,000.00 CNY and 100.00 USD open, a 5,000.00 CNY and a 1,000.00 USD bank
    # guarantee, no USD/CNY rate
    tenant = tenants["acme"]
    cid = await _customer_with_usd_debt(runtime, tenant, "NFX-3")
    usd_guarantee = await _bank_guarantee(runtime, tenant, cid, MoneyIn("1000.00", "USD"), "G-2")
    # when
    view = await _view(runtime, tenant, cid)
    portfolio = await _portfolio(runtime, tenant)
    # then: the totals are over what converts, and each figure left out is listed
    assert (view.currency, view.gross.minor, view.net.minor) == ("CNY", 900_000, 400_000)
    assert [line.applied.minor for line in view.lines] == [500_000]
    assert [(u.figure, u.ref, u.source.minor, u.source.currency, u.pair)
            for u in view.unconverted] == [
        (Figure.RECEIVABLES, None, 10_000, "USD", "USD/CNY"),
        (Figure.GUARANTEE, str(usd_guarantee), 100_000, "USD", "USD/CNY"),
    ]  # fmt: skip
    assert all(u.label for u in view.unconverted)
    assert (portfolio.gross.minor, portfolio.net.minor) == (900_000, 400_000)
    assert [(t.figure, t.source.minor, t.pair, t.customers) for t in portfolio.unconverted] == [
        (Figure.EXPOSURE, 10_000, "USD/CNY", 1),
        (Figure.GUARANTEE, 100_000, "USD/CNY", 1),
    ]
    # once the rate is entered, nothing is left out and both count it all
    await credit.rate(runtime, tenant, "USD", "CNY", "7", RATE_DAY)
    view = await _view(runtime, tenant, cid)
    assert (view.gross.minor, view.net.minor, view.unconverted) == (970_000, 0, ())
    assert (await _portfolio(runtime, tenant)).unconverted == ()


async def test_a_currency_asked_with_no_rate_to_the_customers_is_refused_on_currency(
    runtime, tenants
):
    # given: CNY debts, a CNY limit, no EUR rate at all
    tenant = tenants["acme"]
    cid = await _customer_with_usd_debt(runtime, tenant, "NFX-4")
    # when / then: asking the waterfalls in EUR is the caller's ask, refused on `currency`
    for ask in (_view(runtime, tenant, cid, "EUR"), _portfolio(runtime, tenant, "EUR")):
        with pytest.raises(DomainError) as refused:
            await ask
        assert (refused.value.code, refused.value.field) == ("NO_EXCHANGE_RATE", "currency")


async def test_the_net_provision_base_still_needs_every_rate(runtime, tenants):
    # given: provisions net of cover, and a customer's USD debt with no USD/CNY rate
    tenant = tenants["acme"]
    await _customer_with_usd_debt(runtime, tenant, "NFX-5")
    async with uow(runtime, tenant) as work:
        await security_settings.update(work, 0, SettingsIn(provision_basis="NET"))
        await work.commit()
    # when / then: its retained share is unknown, so the run is refused as before, naming the
    # pair (a share over the converted part alone could provision the USD debt at nothing)
    async with uow(runtime, tenant) as work:
        with pytest.raises(DomainError) as refused:
            await retained_shares(work, TODAY)
    assert refused.value.code == "NO_EXCHANGE_RATE" and "USD/CNY" in refused.value.message
