"""The tenant option of issue 11: the credit check against gross or net exposure."""

from __future__ import annotations

from datetime import date, timedelta

from services.inputs import MoneyIn
from services.risk import security_settings
from services.risk.security_settings import SettingsIn
from tests.services import credit_limits_helpers as credit
from tests.services.risk_security_helpers import guarantee, guarantee_in, guarantor, uow

TODAY = credit.TODAY


async def test_the_check_compares_the_limit_with_gross_or_net_exposure(runtime, tenants):
    # given: a 10,000.00 limit, 9,000.00 invoiced and a bank guarantee of 5,000.00
    tenant = tenants["acme"]
    cid = await credit.customer(runtime, tenant, "NET-1")
    await credit.approved_limit(runtime, tenant, cid, "10000.00")
    await credit.invoice(runtime, tenant, cid, "INV-1", "9000.00", due=TODAY + timedelta(days=30))
    await guarantee(runtime, tenant, guarantee_in(
        await guarantor(runtime, tenant), cid, kind="BANK_GUARANTEE",
        amount=MoneyIn("5000.00", "CNY"), valid_from=date(2020, 1, 1),
        valid_to=TODAY + timedelta(days=365),
    ))  # fmt: skip
    # when: gross (the default), then net
    gross = await credit.run_check(runtime, tenant, cid, "2000.00")
    async with uow(runtime, tenant) as work:
        await security_settings.update(work, 0, SettingsIn(check_basis="NET"))
        await work.commit()
    net = await credit.run_check(runtime, tenant, cid, "2000.00")
    # then: 9,000 + 2,000 is over the limit gross; 4,000 + 2,000 is within it net
    assert gross.outcome.outcome.value != "APPROVED"
    assert net.outcome.outcome.value == "APPROVED"
    assert net.outcome.standing is not None
    assert net.outcome.standing.headroom.minor == 600_000
    receivables = net.input.exposure.receivables
    assert [m.minor for m in receivables] == [900_000, -500_000]
