"""The set-wise reads of the limit in force agree with `in_force`: a back-dated limit that
has ended neither displaces a valid one nor lapses it (check facts, warnings, expiry sweep)."""

from __future__ import annotations

from datetime import date

from dbschema.queries import warning_facts
from domain.credit.limits import in_force
from services.credit import limit_expiry
from services.credit.exposure import gather
from services.uow import UnitOfWork
from tests.services.credit_limits_helpers import TODAY, approved_limit, customer, run_check


async def test_a_back_dated_limit_leaves_every_read_on_the_valid_one(runtime, tenants, database):
    # given: an open-ended 50,000.00 limit, then a 10,000.00 one for January 2020
    tenant = tenants["acme"]
    cid = await customer(runtime, tenant, "VAL-SQL")
    current = await approved_limit(runtime, tenant, cid, "50000.00")
    await approved_limit(
        runtime, tenant, cid, "10000.00", valid_from=date(2020, 1, 1), valid_to=date(2020, 1, 31)
    )
    # when
    async with UnitOfWork(runtime.engine, tenant) as uow:
        facts = await gather(uow.conn, tenant, cid, TODAY)
        use = await warning_facts.utilisation(uow.conn, TODAY, [cid])
        lapsed = await limit_expiry.expire_limits(uow, TODAY)
        await uow.commit()
    result = await run_check(runtime, tenant, cid, "1.00")
    # then: the check's facts hold the valid limit, as the pure rule picks it
    assert [r.id for r in facts.limits] == [str(current.limit_id)]
    force = in_force(facts.limits, TODAY)
    assert force.standard is not None and not force.expired
    assert [f.reason.value for f in result.outcome.findings] == []
    # the warnings read the 50,000.00 limit, and the sweep lapses nothing
    assert [(r.customer_id, int(r.limit_minor)) for r in use] == [(cid, 5_000_000)]
    assert lapsed == 0
    assert database.query("SELECT count(*) FROM credit_decisions WHERE kind = 'LIMIT_EXPIRY'") == [
        (0,)
    ]
