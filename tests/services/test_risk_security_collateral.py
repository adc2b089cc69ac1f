"""Collateral through the services: recorded with its coverage value, a bad haircut refused
with nothing written, re-appraised, released."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import DomainError, ValidationFailed
from domain.money import Money
from services.inputs import MoneyIn
from services.risk import collateral
from services.risk.collateral import CollateralIn
from tests.services.risk_security_helpers import customer, uow


def collateral_in(customer_id, **changes) -> CollateralIn:
    data = {
        "reference": "M-1",
        "customer_id": customer_id,
        "form": "MORTGAGE",
        "asset_kind": "EQUIPMENT",
        "description": "数控机床 3 台",
        "appraised_value": MoneyIn("200000.00", "CNY"),
        "appraised_on": date(2026, 1, 15),
        "haircut_percent": "30",
        "valid_from": date(2026, 1, 15),
        "registration_ref": "动产抵押登记 2026-001",
        **changes,
    }
    return CollateralIn(**data)


async def test_coverage_is_appraised_less_haircut(runtime, tenants):
    acme = tenants["acme"]
    customer_id = await customer(runtime, acme, "C1")
    async with uow(runtime, acme) as work:
        item = await collateral.create_collateral(work, collateral_in(customer_id))
        await work.commit()
    assert item.coverage == Money(14_000_000, "CNY")
    assert item.reappraisal_due_on == date(2027, 1, 15)
    async with uow(runtime, acme) as work:
        again = await collateral.reappraise_collateral(
            work, item.id, MoneyIn("150000.00", "CNY"), date(2026, 6, 1), "20"
        )
        await work.commit()
    assert again.coverage == Money(12_000_000, "CNY") and again.version == 2
    async with uow(runtime, acme) as work:
        gone = await collateral.release_collateral(work, item.id)
        await work.commit()
    assert gone.status == "RELEASED"
    with pytest.raises(DomainError) as refused:
        async with uow(runtime, acme) as work:
            await collateral.release_collateral(work, item.id)
    assert refused.value.code == "INVALID_STATUS"


@pytest.mark.parametrize("haircut", ["-1", "100.5", "150", "abc"])
async def test_a_haircut_outside_0_100_is_refused_and_nothing_written(
    runtime, tenants, database, haircut
):
    acme = tenants["acme"]
    customer_id = await customer(runtime, acme, "C1")
    with pytest.raises(ValidationFailed) as refused:
        async with uow(runtime, acme) as work:
            await collateral.create_collateral(
                work, collateral_in(customer_id, haircut_percent=haircut)
            )
            await work.commit()
    assert ("INVALID_HAIRCUT", "haircutPercent") in {
        (e.code, e.field) for e in refused.value.errors
    }
    assert database.query("SELECT count(*) FROM collateral")[0][0] == 0


async def test_the_database_refuses_a_haircut_outside_0_100_by_any_path(runtime, tenants, database):
    acme = tenants["acme"]
    customer_id = await customer(runtime, acme, "C1")
    async with uow(runtime, acme) as work:
        item = await collateral.create_collateral(work, collateral_in(customer_id))
        await work.commit()
    with pytest.raises(Exception, match="haircut_in_range"):
        database.query("UPDATE collateral SET haircut_percent = 101 WHERE id = %s", item.id)


async def test_a_property_cannot_be_pledged(runtime, tenants, database):
    acme = tenants["acme"]
    customer_id = await customer(runtime, acme, "C1")
    with pytest.raises(ValidationFailed) as refused:
        async with uow(runtime, acme) as work:
            await collateral.create_collateral(
                work, collateral_in(customer_id, form="PLEDGE", asset_kind="PROPERTY")
            )
    assert "FORM_NOT_FOR_ASSET" in {e.code for e in refused.value.errors}
    assert database.query("SELECT count(*) FROM collateral")[0][0] == 0
