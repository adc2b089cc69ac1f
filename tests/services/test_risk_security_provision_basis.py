"""The tenant option of issue 11: the provision run's base gross (default) or net of cover."""

from __future__ import annotations

from datetime import date

from services.inputs import MoneyIn
from services.risk import collateral, security_settings
from services.risk.collateral import CollateralIn
from services.risk.security_settings import SettingsIn
from tests.services.risk_security_helpers import uow
from tests.services.test_provisions_writeoffs import END, run, seed


async def test_the_provision_base_is_gross_or_net_of_cover(runtime, tenants, database):
    # given: 4,000.00 open, provisions 1,850.00 gross; a deposit covering half of it
    tenant = tenants["acme"]
    customer, _ = await seed(runtime, tenant)
    async with uow(runtime, tenant) as work:
        await collateral.create_collateral(work, CollateralIn(
            reference="D-1", customer_id=customer, form="PLEDGE", asset_kind="DEPOSIT",
            description="保证金", appraised_value=MoneyIn("2000.00", "CNY"),
            appraised_on=date(2020, 1, 1), haircut_percent="0", valid_from=date(2020, 1, 1),
        ))  # fmt: skip
        await work.commit()
    # when
    gross = await run(runtime, tenant, END)
    async with uow(runtime, tenant) as work:
        await security_settings.update(work, 0, SettingsIn(provision_basis="NET"))
        await work.commit()
    net = await run(runtime, tenant, END)
    # then: the net base keeps half of each invoice's provision
    assert gross["CNY"].provision_minor == 185_000
    assert net["CNY"].provision_minor == 92_500
    assert net["CNY"].open_minor == gross["CNY"].open_minor
    rates = database.query("SELECT invoice_rate FROM provision_customer_lines")[0][0]
    assert sorted(float(r) for r in rates) == [0.05, 0.3, 0.5, 1.0]  # the matrix rates stay
