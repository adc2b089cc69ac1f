"""A cover cut under a policy that requires cover blocks new credit (a credit hold the check
honours); under one that does not, it only warns."""

from __future__ import annotations

from datetime import timedelta

from services.inputs import MoneyIn
from services.risk import insurance_covers
from tests.services.credit_limits_helpers import TODAY, approved_limit, customer, run_check
from tests.services.risk_fixtures import cover, policy, uow_for


async def _cut(runtime, tenant, required: bool, status: str, number: str) -> tuple:
    cid = await customer(runtime, tenant, f"COV-{number}")
    await approved_limit(runtime, tenant, cid, "10000.00")
    async with uow_for(runtime, tenant) as uow:
        policy_id = await policy(
            uow,
            number,
            starts_on=TODAY - timedelta(days=60),
            ends_on=TODAY + timedelta(days=300),
            cover_required=required,
        )
        cover_id = await cover(uow, policy_id, cid, "50000.00", TODAY - timedelta(days=30))
        amount = MoneyIn("5000.00", "CNY") if status == "REDUCED" else None
        await insurance_covers.decide_cover(uow, cover_id, status, amount, TODAY, None, None)
        await uow.commit()
    return cid, await run_check(runtime, tenant, cid, "100.00")


async def test_a_cancelled_cover_under_a_policy_requiring_cover_blocks_new_credit(
    runtime, tenants, database
):
    # given a policy requiring cover, when the insurer cancels the buyer's cover
    cid, checked = await _cut(runtime, tenants["acme"], True, "CANCELLED", "REQ-1")
    # then the customer is on hold (set by the warning, with the cover's figures) and blocked
    assert checked.outcome.outcome.value == "BLOCKED"
    assert [f.reason.value for f in checked.outcome.findings] == ["CREDIT_HOLD"]
    rows = database.query("SELECT customer_id, held, source, reason FROM credit_holds")
    assert [(r[0], r[1], r[2]) for r in rows] == [(cid, True, "WARNING")]
    assert "cancelled to 0.00 CNY" in rows[0][3]
    assert database.query("SELECT kind, level FROM warnings") == [("INSURANCE_COVER_CUT", "SEVERE")]


async def test_a_reduced_cover_without_the_requirement_only_warns(runtime, tenants, database):
    _cid, checked = await _cut(runtime, tenants["acme"], False, "REDUCED", "FREE-1")
    assert checked.outcome.outcome.value == "APPROVED"
    assert database.query("SELECT count(*) FROM credit_holds") == [(0,)]
    assert database.query("SELECT kind, level FROM warnings") == [("INSURANCE_COVER_CUT", "SEVERE")]
