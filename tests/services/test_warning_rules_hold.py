"""A severe warning's credit hold is the credit check's: it blocks until a credit manager
lifts it with a reason; the next night does not set it again while the warning is active."""

from __future__ import annotations

from datetime import timedelta

from services.credit import holds
from services.uow import UnitOfWork
from tests.services.credit_limits_helpers import (
    MANAGER,
    TODAY,
    approved_limit,
    customer,
    run_check,
)
from tests.services.warning_rules_helpers import invoice, run


async def test_a_severe_warning_holds_credit_until_a_manager_lifts_it(runtime, tenants, database):
    # given: a customer with a limit and an invoice 120 days late
    tenant = tenants["acme"]
    late = await customer(runtime, tenant, "K-W")
    await approved_limit(runtime, tenant, late, "5000.00")
    invoice(database, tenant, late, "W-1", TODAY - timedelta(days=120))

    # when: the nightly rules run
    tally = await run(runtime, tenant, TODAY)

    # then: held by the warning, and the credit check blocks
    assert tally.held == 1
    blocked = await run_check(runtime, tenant, late, "10.00")
    assert blocked.outcome.outcome.value == "BLOCKED"
    assert "CREDIT_HOLD" in [f.reason.value for f in blocked.outcome.findings]

    # when: a credit manager lifts it with a reason, and the rules run again
    async with UnitOfWork(runtime.engine, tenant, MANAGER) as uow:
        lifted = await holds.set_hold(uow, late, False, "paid by bank draft, confirmed")
        await uow.commit()
    again = await run(runtime, tenant, TODAY)

    # then: the hold stays lifted (the warning is still the same open one)
    assert lifted.held is False and again.held == 0
    assert database.query("SELECT held, source FROM credit_holds ORDER BY seq") == [
        (True, "WARNING"),
        (False, "MANUAL"),
    ]
