"""Provision runs by age and write-offs from proposal to bad-debt case."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.errors import DomainError, ValidationFailed
from domain.provisions import ProvisionTotals
from services.closing import provisions, writeoffs
from services.closing.writeoffs import WriteOffIn
from services.customers.master_data import CustomerChanges, create_customer
from services.inputs import MoneyIn
from services.ledger import invoices, payments
from services.ledger.inputs import AllocationLine, InvoiceIn, PaymentIn
from services.uow import Actor, UnitOfWork

END = date(2026, 10, 31)


def actor(sub: str, *roles: str) -> Actor:
    """Someone with roles."""
    return Actor(sub, frozenset(roles))


async def seed(runtime: Any, tenant: UUID) -> tuple[UUID, dict[str, UUID]]:
    """Invoices aged under 1 year, 1-2, 2-3 and over 3 years, 1,000.00 each."""
    async with UnitOfWork(runtime.engine, tenant, actor("t")) as uow:
        customer = await create_customer(
            uow, CustomerChanges(code="P-1", legal_name="Provision Co", country="CN", contacts=[])
        )
        ids = {}
        for label, age in (("young", 100), ("one", 400), ("two", 800), ("three", 1200)):
            issue = END - timedelta(days=age)
            result, _ = await invoices.create_invoice(
                uow,
                InvoiceIn(
                    number=label,
                    customer_id=customer.id,
                    issue_date=issue,
                    due_date=issue + timedelta(days=30),
                    amount=MoneyIn("1000.00", "CNY"),
                ),
                key=label,
            )
            ids[label] = result.invoice_id
        await uow.commit()
    return customer.id, ids


async def run(runtime: Any, tenant: UUID, period_end: date) -> dict[str, ProvisionTotals]:
    """One provision run, committed: its totals by currency."""
    async with UnitOfWork(runtime.engine, tenant, actor("job")) as uow:
        result = await provisions.run_provisions(uow, period_end)
        await uow.commit()
    assert result.period_end == period_end
    return {t.currency: t for t in result.totals}


async def test_provision_matrix_rerun_movement_and_closing(runtime, tenants, database):
    tenant = tenants["acme"]
    customer, _ids = await seed(runtime, tenant)
    # when: month-end run with the practice's matrix (5/30/50/100%)
    first = await run(runtime, tenant, END)
    again = await run(runtime, tenant, END)
    # then: 50 + 300 + 500 + 1000 = 1,850.00 provided; re-running changes nothing
    assert first["CNY"].provision_minor == 185000
    assert first["CNY"].charge_minor == 185000
    assert again == first
    assert database.query("SELECT sum(cardinality(invoice_ids)) FROM provision_customer_lines") == [
        (4,)
    ]
    # and a payment of the young invoice releases its provision next month
    async with UnitOfWork(runtime.engine, tenant, actor("t")) as uow:
        await payments.create_payment(
            uow,
            PaymentIn(
                customer_id=customer,
                received_on=END + timedelta(days=5),
                amount=MoneyIn("1000.00", "CNY"),
            ),
            key="pay-young",
        )
        await uow.commit()
    async with UnitOfWork(runtime.engine, tenant, actor("t")) as uow:
        await provisions.close_run(uow, END)
        await uow.commit()
    nov = await run(runtime, tenant, date(2026, 11, 30))
    # the oldest-due invoice (three) got the payment: its 1,000.00 provision is released
    assert nov["CNY"].release_minor == 100000
    with pytest.raises(DomainError) as closed:
        await run(runtime, tenant, END)
    assert closed.value.code == "PERIOD_CLOSED"


async def test_two_runs_of_one_period_at_once_both_succeed_with_one_run(runtime, tenants, database):
    # given the aged invoices, and two workers asked for the same month-end at the same moment
    tenant = tenants["acme"]
    await seed(runtime, tenant)
    # when both compute it concurrently, each in its own transaction
    first, second = await asyncio.gather(run(runtime, tenant, END), run(runtime, tenant, END))
    # then neither fails on the other's insert, and one run holds the figures
    assert first == second
    assert database.query("SELECT count(*) FROM provision_runs") == [(1,)]
    assert first["CNY"].provision_minor == 185000


async def test_write_off_workflow(runtime, tenants, database):
    tenant = tenants["acme"]
    customer, ids = await seed(runtime, tenant)
    await run(runtime, tenant, END)
    collector = actor("carl", "collector")
    # propose 1,000.00 on the oldest invoice
    async with UnitOfWork(runtime.engine, tenant, collector) as uow:
        proposal = await writeoffs.propose(
            uow,
            WriteOffIn(
                customer, ((ids["three"], "1000.00"),), "customer dissolved", ("court ruling",)
            ),
            "wo-1",
        )
        await uow.commit()
    proposal_id = proposal.proposal_id
    # the proposer cannot approve, a sales user cannot either, finance can
    for who, code in (
        (actor("carl", "collector", "finance"), "SELF_APPROVAL"),
        (actor("sam", "sales"), "NOT_AN_APPROVER"),
    ):
        with pytest.raises(DomainError) as refused:
            async with UnitOfWork(runtime.engine, tenant, who) as uow:
                await writeoffs.decide(uow, proposal_id, True, None)
        assert refused.value.code == code
    async with UnitOfWork(runtime.engine, tenant, actor("fay", "finance")) as uow:
        decided = await writeoffs.decide(uow, proposal_id, True, "agreed")
        await uow.commit()
    assert decided.status == "APPROVED"  # 1,000.00 is under the dual-approval threshold
    async with UnitOfWork(runtime.engine, tenant, actor("fay", "finance")) as uow:
        posted = await writeoffs.post(uow, proposal_id, END + timedelta(days=10), "post-1")
        await uow.commit()
    assert database.query(
        "SELECT open_minor, written_off_minor FROM invoices WHERE number = 'three'"
    ) == [(0, 100000)]
    assert database.query("SELECT cause, amount_minor FROM bad_debt_cases") == [
        ("customer dissolved", 100000)
    ]
    # the next run counts the provision as utilised, not released
    nov = await run(runtime, tenant, date(2026, 11, 30))
    assert nov["CNY"].utilised_minor == 100000
    # a later recovery is recorded against the case
    async with UnitOfWork(runtime.engine, tenant, actor("fay", "finance")) as uow:
        await writeoffs.record_recovery(
            uow, posted.case_id, "250.00", date(2026, 12, 1), "liquidator", "rec-1"
        )
        await uow.commit()
    assert database.query("SELECT recovered_minor FROM bad_debt_cases") == [(25000,)]
    assert database.query("SELECT open_minor FROM invoices WHERE number = 'three'") == [(0,)]


async def test_write_off_refusals_write_nothing(runtime, tenants, database):
    tenant = tenants["acme"]
    customer, ids = await seed(runtime, tenant)
    async with UnitOfWork(runtime.engine, tenant, actor("t")) as uow:
        await payments.create_payment(
            uow,
            PaymentIn(
                customer_id=customer,
                received_on=END,
                amount=MoneyIn("1000.00", "CNY"),
                allocation="EXPLICIT",
                lines=[AllocationLine(ids["young"], "1000.00")],
            ),
            key="p",
        )
        await uow.commit()
    with pytest.raises(ValidationFailed) as paid:
        async with UnitOfWork(runtime.engine, tenant, actor("carl", "collector")) as uow:
            await writeoffs.propose(
                uow, WriteOffIn(customer, ((ids["young"], "10.00"),), "x"), "k1"
            )
    assert paid.value.errors[0].code == "INVOICE_SETTLED"
    with pytest.raises(ValidationFailed) as too_much:
        async with UnitOfWork(runtime.engine, tenant, actor("carl", "collector")) as uow:
            await writeoffs.propose(
                uow, WriteOffIn(customer, ((ids["one"], "1000.01"),), "x"), "k2"
            )
    assert too_much.value.errors[0].code == "EXCEEDS_OPEN_AMOUNT"
    assert database.query("SELECT count(*) FROM write_off_proposals") == [(0,)]
