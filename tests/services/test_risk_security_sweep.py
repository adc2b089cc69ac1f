"""The daily guarantee clock: period warnings and lapses (checked against the pure twin on
generated data), expiry, proposals to call and to release, re-appraisals; once per date."""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa

from dbschema.collections_tables import collection_cases
from domain.risk.guarantees import (
    Debt,
    GuaranteeKind,
    GuaranteeTerms,
    Scope,
    Status,
    period_notices,
)
from services.inputs import MoneyIn
from services.risk import collateral, guarantee_sweep
from services.risk.collateral import CollateralIn
from tests.services.risk_security_helpers import (
    customer,
    guarantee,
    guarantee_in,
    guarantor,
    invoice,
    uow,
)


async def _sweep(runtime, tenant, on: date) -> guarantee_sweep.SweepResult:
    async with uow(runtime, tenant) as work:
        result = await guarantee_sweep.sweep(work, on)
        await work.commit()
    return result


async def test_period_notices_match_the_pure_twin(runtime, tenants, database):
    acme = tenants["acme"]
    rng = random.Random(692)
    guarantor_id = await guarantor(runtime, acme)
    terms, debts = [], []
    for n in range(4):
        customer_id = await customer(runtime, acme, f"C{n}")
        for k in range(5):
            issue = date(2025, 10, 1) + timedelta(days=rng.randint(0, 200))
            due = issue + timedelta(days=rng.choice([30, 60, 90]))
            invoice_id = await invoice(runtime, acme, customer_id, f"I{n}-{k}", issue, due,
                                       "100.00")  # fmt: skip
            debts.append(Debt(str(invoice_id), str(customer_id), issue, due, 10_000))
        kind = rng.choice(["GENERAL", "JOINT_AND_SEVERAL"])
        scope = rng.choice(["ALL_DEBTS", "UP_TO_AMOUNT"])
        months = rng.choice([None, 3])
        valid_from = date(2026, 1, 1)
        gid = await guarantee(runtime, acme, guarantee_in(
            guarantor_id, customer_id, reference=f"G{n}", kind=kind, scope=scope,
            period_months=months, valid_from=valid_from, valid_to=date(2027, 12, 31),
        ))  # fmt: skip
        terms.append(GuaranteeTerms(str(gid), str(customer_id), GuaranteeKind(kind),
                                    Scope(scope), valid_from, date(2027, 12, 31), months,
                                    Status.ACTIVE))  # fmt: skip
    on = date(2026, 8, 15)
    result = await _sweep(runtime, acme, on)
    stored = {
        (str(r[0]), str(r[1]), r[2], r[3])
        for r in database.query(
            "SELECT guarantee_id, invoice_id, kind, ends_on FROM guarantee_notices "
            "WHERE invoice_id IS NOT NULL"
        )
    }
    expected = {
        (n.guarantee_id, n.invoice_id, f"PERIOD_{n.state}", n.ends_on)
        for n in period_notices(terms, debts, on, 30)
    }
    assert stored == expected and expected
    assert result.period_lapsing + result.period_lapsed == len(expected)
    again = await _sweep(runtime, acme, on)  # the same day again adds nothing
    assert again.period_lapsing + again.period_lapsed == 0
    published = database.query(
        "SELECT payload FROM events WHERE topic = 'risk.guarantee_period_lapsing'"
    )
    assert sum(p[0]["count"] for p in published) == len(expected)  # one event per guarantee
    assert len(published) == len({(n[0], n[2]) for n in expected})


async def test_expiry_warning_then_expiry(runtime, tenants, database):
    acme = tenants["acme"]
    customer_id = await customer(runtime, acme, "C1")
    await guarantee(runtime, acme, guarantee_in(await guarantor(runtime, acme), customer_id,
                                                valid_to=date(2026, 6, 30)))  # fmt: skip
    assert (await _sweep(runtime, acme, date(2026, 5, 30))).expiring == 0
    assert (await _sweep(runtime, acme, date(2026, 5, 31))).expiring == 1  # 30 days ahead
    assert (await _sweep(runtime, acme, date(2026, 6, 1))).expiring == 0  # once
    assert (await _sweep(runtime, acme, date(2026, 7, 1))).expired == 1
    assert database.query("SELECT status FROM guarantees")[0][0] == "EXPIRED"


async def test_litigation_proposes_a_call_and_a_restored_customer_a_release(
    runtime, tenants, database
):
    acme = tenants["acme"]
    sued = await customer(runtime, acme, "SUED", rating="D")
    good = await customer(runtime, acme, "GOOD", rating="A")
    guarantor_id = await guarantor(runtime, acme)
    await guarantee(runtime, acme, guarantee_in(guarantor_id, sued, reference="G-S"))
    await guarantee(runtime, acme, guarantee_in(guarantor_id, good, reference="G-G"))
    await invoice(runtime, acme, good, "OK-1", date(2026, 3, 1), date(2026, 4, 1), "10.00")
    async with uow(runtime, acme) as work:
        await work.conn.execute(sa.insert(collection_cases).values(
            tenant_id=acme, customer_id=sued, stage="LITIGATION", owner_role="legal",
            next_action="Start litigation", next_action_on=date(2026, 5, 1), days_overdue=120,
        ))  # fmt: skip
        await work.commit()
    result = await _sweep(runtime, acme, date(2026, 4, 20))  # 19 days late: still restored
    assert (result.propose_call, result.propose_release) == (1, 1)
    kinds = dict(database.query(
        "SELECT g.reference, n.kind FROM guarantee_notices n JOIN guarantees g "
        "ON g.id = n.guarantee_id"))  # fmt: skip
    assert kinds == {"G-S": "PROPOSE_CALL", "G-G": "PROPOSE_RELEASE"}


async def test_a_customer_late_over_30_days_is_not_restored(runtime, tenants, database):
    acme = tenants["acme"]
    late = await customer(runtime, acme, "LATE", rating="A")
    await guarantee(runtime, acme, guarantee_in(await guarantor(runtime, acme), late))
    await invoice(runtime, acme, late, "L-1", date(2026, 1, 1), date(2026, 2, 1), "10.00")
    result = await _sweep(runtime, acme, date(2026, 3, 15))
    assert result.propose_release == 0


async def test_reappraisal_due_then_overdue(runtime, tenants, database):
    acme = tenants["acme"]
    customer_id = await customer(runtime, acme, "C1")
    async with uow(runtime, acme) as work:
        await collateral.create_collateral(work, CollateralIn(
            reference="INV-STOCK", customer_id=customer_id, form="PLEDGE",
            asset_kind="INVENTORY", description="钢材库存", appraised_value=MoneyIn("10.00", "CNY"),
            appraised_on=date(2026, 1, 31), haircut_percent="40", valid_from=date(2026, 1, 31),
        ))  # fmt: skip
        await work.commit()
    assert (await _sweep(runtime, acme, date(2026, 6, 30))).reappraisals == 0
    assert (await _sweep(runtime, acme, date(2026, 7, 1))).reappraisals == 1
    assert (await _sweep(runtime, acme, date(2026, 8, 1))).reappraisals == 1
    rows = database.query("SELECT kind FROM collateral_notices ORDER BY noticed_on")
    kinds = [r[0] for r in rows]
    assert kinds == ["REAPPRAISAL_DUE", "REAPPRAISAL_OVERDUE"]
