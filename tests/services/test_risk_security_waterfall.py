"""The net retained risk through the services: one customer and the portfolio, the portfolio's
set-wise gross exposure checked against the credit decisions' exposure per customer."""

from __future__ import annotations

import random
from datetime import date, timedelta

from domain.risk.waterfall import Layer
from services.credit.exposure import exposure
from services.inputs import MoneyIn
from services.read_session import ReadSession
from services.risk import collateral, security_settings, waterfall
from services.risk.collateral import CollateralIn
from services.risk.security_settings import SettingsIn
from tests.services.risk_security_helpers import (
    customer,
    guarantee,
    guarantee_in,
    guarantor,
    invoice,
    uow,
)

AS_OF = date(2026, 5, 1)


async def _pledge(runtime, tenant, customer_id, amount: str, haircut: str) -> None:
    async with uow(runtime, tenant) as work:
        await collateral.create_collateral(work, CollateralIn(
            reference=f"P-{customer_id}", customer_id=customer_id, form="PLEDGE",
            asset_kind="DEPOSIT", description="保证金", appraised_value=MoneyIn(amount, "CNY"),
            appraised_on=date(2026, 1, 1), haircut_percent=haircut, valid_from=date(2026, 1, 1),
        ))  # fmt: skip
        await work.commit()


async def test_guarantee_weighted_then_collateral_capped_by_what_is_left(runtime, tenants):
    acme = tenants["acme"]
    customer_id = await customer(runtime, acme, "C1")
    await invoice(runtime, acme, customer_id, "INV-1", date(2026, 3, 1), date(2026, 4, 1),
                  "100000.00")  # fmt: skip
    await guarantee(runtime, acme, guarantee_in(await guarantor(runtime, acme), customer_id,
                                                amount=MoneyIn("50000.00", "CNY")))  # fmt: skip
    await _pledge(runtime, acme, customer_id, "100000.00", "10")
    session = ReadSession(runtime.engine, acme)
    try:
        view = await waterfall.risk_waterfall(session, customer_id, AS_OF)
    finally:
        await session.close()
    assert view.gross.minor == 10_000_000
    guarantee_line, collateral_line = view.lines
    assert guarantee_line.layer == Layer.GUARANTEE and guarantee_line.weighted.minor == 4_000_000
    assert collateral_line.offered.minor == 9_000_000
    assert collateral_line.applied.minor == 6_000_000 and collateral_line.capped
    assert view.net.minor == 0
    assert "x 80% = CNY 40,000.00" in guarantee_line.explanation


async def test_tenant_weights_change_the_guarantee_layer(runtime, tenants):
    acme = tenants["acme"]
    customer_id = await customer(runtime, acme, "C1")
    await invoice(runtime, acme, customer_id, "INV-1", date(2026, 3, 1), date(2026, 4, 1),
                  "100000.00")  # fmt: skip
    await guarantee(runtime, acme, guarantee_in(await guarantor(runtime, acme), customer_id,
                                                kind="GENERAL"))  # fmt: skip
    async with uow(runtime, acme) as work:
        await security_settings.update(work, 0, SettingsIn(weights={"GENERAL": "25"}))
        await work.commit()
    session = ReadSession(runtime.engine, acme)
    try:
        view = await waterfall.risk_waterfall(session, customer_id, AS_OF)
    finally:
        await session.close()
    assert view.lines[0].weighted.minor == 2_500_000
    assert view.net.minor == 7_500_000


async def test_an_expired_or_released_cover_counts_for_nothing(runtime, tenants):
    acme = tenants["acme"]
    customer_id = await customer(runtime, acme, "C1")
    await invoice(runtime, acme, customer_id, "INV-1", date(2026, 3, 1), date(2026, 4, 1),
                  "1000.00")  # fmt: skip
    await guarantee(runtime, acme, guarantee_in(await guarantor(runtime, acme), customer_id,
                                                valid_to=date(2026, 4, 30)))  # fmt: skip
    session = ReadSession(runtime.engine, acme)
    try:
        view = await waterfall.risk_waterfall(session, customer_id, AS_OF)
    finally:
        await session.close()
    assert view.lines == () and view.net.minor == 100_000


async def test_portfolio_equals_the_sum_of_customers_and_gross_matches_exposure(runtime, tenants):
    acme = tenants["acme"]
    rng = random.Random(11)
    guarantor_id = await guarantor(runtime, acme)
    ids = []
    for n in range(6):
        customer_id = await customer(runtime, acme, f"C{n}")
        ids.append(customer_id)
        for k in range(rng.randint(0, 4)):
            issue = date(2026, 1, 1) + timedelta(days=rng.randint(0, 90))
            await invoice(runtime, acme, customer_id, f"I{n}-{k}", issue,
                          issue + timedelta(days=30), f"{rng.randint(1, 99999)}.00")  # fmt: skip
        if n % 2 == 0:
            await guarantee(runtime, acme, guarantee_in(
                guarantor_id, customer_id, reference=f"G{n}",
                kind=rng.choice(["GENERAL", "BANK_GUARANTEE", "JOINT_AND_SEVERAL"]),
                amount=MoneyIn(f"{rng.randint(1, 90000)}.00", "CNY"),
            ))  # fmt: skip
        if n % 3 == 0:
            await _pledge(runtime, acme, customer_id, f"{rng.randint(1, 90000)}.00", "15.5")
    session = ReadSession(runtime.engine, acme)
    try:
        total = await waterfall.portfolio_waterfall(session, AS_OF)
        singles = [await waterfall.risk_waterfall(session, c, AS_OF) for c in ids]
        grosses = [(await exposure(session, c, AS_OF)).exposure.total.minor for c in ids]
    finally:
        await session.close()
    assert [s.gross.minor for s in singles] == grosses
    assert total.gross.minor == sum(grosses)
    assert total.net.minor == sum(s.net.minor for s in singles)
    assert total.customers == sum(1 for g in grosses if g)
    layers = dict(total.by_layer)
    assert layers[Layer.GUARANTEE].minor == sum(
        line.applied.minor for s in singles for line in s.lines if line.layer == Layer.GUARANTEE
    )
