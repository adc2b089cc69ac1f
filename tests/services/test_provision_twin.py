"""The set-wise provision SQL agrees with the pure rule (domain.provisions.provision_run).

Random invoices in two currencies over four years, paid in part or in full (some after the
period ends, some payments reversed), written off in part between runs; three month-end runs
on three matrices, each compared line by line and invoice by invoice with the domain's run
over the same facts as the test itself recorded them.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.provisions import (
    AGE,
    DEFAULT_AGE_MATRIX,
    DEFAULT_DPD_MATRIX,
    DPD,
    OpenItem,
    PreviousProvision,
    ProvisionBand,
    ProvisionMatrix,
    Provisions,
    provision_run,
)
from services.closing import provisions, reads, writeoffs
from services.closing.writeoffs import WriteOffIn
from services.configuration import policy
from services.configuration.inputs import MatrixIn, PolicyChanges
from services.customers.master_data import CustomerChanges, create_customer
from services.inputs import MoneyIn
from services.ledger import invoices, payments
from services.ledger.inputs import AllocationLine, InvoiceIn, PaymentIn
from services.read_session import ReadSession
from services.uow import Actor, UnitOfWork

PERIODS = (date(2026, 6, 30), date(2026, 9, 30), date(2026, 10, 31))
#: A tenant's own matrix with rates the defaults do not have (four decimals, as stored).
ODD_AGE = ProvisionMatrix(
    AGE,
    tuple(
        ProvisionBand(days, Decimal(rate))
        for days, rate in ((0, "0.0125"), (90, "0.0333"), (400, "0.4444"), (1000, "0.9999"))
    ),
)
MATRICES = (DEFAULT_AGE_MATRIX, DEFAULT_DPD_MATRIX, ODD_AGE)
CLERK = Actor("t")
COLLECTOR = Actor("carl", frozenset({"collector"}))
FINANCE = Actor("fay", frozenset({"finance"}))
MANAGER = Actor("mia", frozenset({"credit_manager"}))


@dataclass
class Invoice:
    """What the test knows of one invoice: its facts and every entry against it."""

    id: UUID
    customer: UUID
    currency: str
    amount: int
    issue: date
    due: date
    entries: list[tuple[date, int]] = field(default_factory=list)  #: (effective on, amount)
    written_off: list[tuple[date, int]] = field(default_factory=list)

    def open_at(self, day: date) -> int:
        """What was open on the day, by the entries effective then."""
        return self.amount - sum(a for on, a in self.entries if on <= day)


def decimal(minor: int) -> str:
    """Minor units of a two-decimal currency as the API writes them."""
    return f"{minor // 100}.{minor % 100:02d}"


# --- the ledger, through its services (kept here, in one place) -------------------------------


async def _new_invoice(uow: UnitOfWork, n: int, customer: UUID, inv: Invoice) -> UUID:
    result, _ = await invoices.create_invoice(
        uow,
        InvoiceIn(
            number=f"T-{n}",
            customer_id=customer,
            issue_date=inv.issue,
            due_date=inv.due,
            amount=MoneyIn(decimal(inv.amount), inv.currency),
        ),
        key=f"t-{n}",
    )
    return result.invoice_id


async def _pay(uow: UnitOfWork, inv: Invoice, on: date, amount: int, key: str) -> UUID:
    result, _ = await payments.create_payment(
        uow,
        PaymentIn(
            customer_id=inv.customer,
            received_on=on,
            amount=MoneyIn(decimal(amount), inv.currency),
            allocation="EXPLICIT",
            lines=[AllocationLine(inv.id, decimal(amount))],
        ),
        key=key,
    )
    return result.payment_id


async def _reverse(uow: UnitOfWork, payment_id: UUID, on: date, key: str) -> None:
    await payments.reverse_payment(uow, payment_id, "bounced", on, key)


# --- seeding ---------------------------------------------------------------------------------


async def _in(runtime: Any, tenant: UUID, actor: Actor, work: Any) -> Any:
    async with UnitOfWork(runtime.engine, tenant, actor) as uow:
        result = await work(uow)
        await uow.commit()
    return result


async def seed(runtime: Any, tenant: UUID) -> list[Invoice]:
    """Invoices, payments (some reversed) and write-offs, each recorded by the test too."""
    rng = random.Random(11)
    first, last = PERIODS[0], PERIODS[-1]
    customers = [
        (
            await _in(
                runtime,
                tenant,
                CLERK,
                lambda uow, n=n: create_customer(
                    uow,
                    CustomerChanges(
                        code=f"TW-{n}", legal_name=f"Twin {n}", country="CN", contacts=[]
                    ),
                ),
            )
        ).id
        for n in range(5)
    ]
    made: list[Invoice] = []
    for n in range(60):
        issue = last + timedelta(days=10) - timedelta(days=rng.randint(0, 1500))
        inv = Invoice(
            UUID(int=0),
            rng.choice(customers),
            rng.choice(["CNY", "USD"]),
            rng.randint(1, 90_000) * 100 + rng.choice([0, 1, 5, 50]),
            issue,
            issue + timedelta(days=rng.choice([0, 15, 30, 60, 90])),
        )
        inv.id = await _in(
            runtime,
            tenant,
            CLERK,
            lambda uow, n=n, inv=inv: _new_invoice(uow, n, inv.customer, inv),
        )
        made.append(inv)
    for n, inv in enumerate(made):
        if rng.random() < 0.5:
            on = inv.issue + timedelta(days=rng.randint(0, 500))
            amount = inv.amount if rng.random() < 0.5 else rng.randint(1, inv.amount)
            payment = await _in(
                runtime,
                tenant,
                CLERK,
                lambda uow, i=inv, o=on, a=amount, n=n: _pay(uow, i, o, a, f"p-{n}"),
            )
            inv.entries.append((on, amount))
            if n % 9 == 0:  # bounced some days later
                back = on + timedelta(days=rng.randint(1, 60))
                await _in(
                    runtime,
                    tenant,
                    CLERK,
                    lambda uow, p=payment, b=back, n=n: _reverse(uow, p, b, f"r-{n}"),
                )
                inv.entries.append((back, -amount))
    for n, inv in enumerate(x for x in made if x.open_at(date.max) > 0 and x.issue < first):
        if n % 3:
            continue
        amount = rng.randint(1, inv.open_at(date.max))
        on = rng.choice([first - timedelta(days=3), first + timedelta(days=20), PERIODS[1]])
        on = rng.choice([on, last, last + timedelta(days=5)])
        await write_off(runtime, tenant, inv, amount, on, n)
    return made


async def write_off(runtime: Any, tenant: UUID, inv: Invoice, amount: int, on: date, n: int):
    """Propose, approve and post a write-off of part of an invoice."""
    proposed = await _in(
        runtime,
        tenant,
        COLLECTOR,
        lambda uow: writeoffs.propose(
            uow, WriteOffIn(inv.customer, ((inv.id, decimal(amount)),), "insolvent"), f"wo-{n}"
        ),
    )
    for approver in (FINANCE, MANAGER):  # above the threshold the manager approves too
        decided = await _in(
            runtime,
            tenant,
            approver,
            lambda uow: writeoffs.decide(uow, proposed.proposal_id, True, ""),
        )
        if decided.status == "APPROVED":
            break
    await _in(
        runtime,
        tenant,
        FINANCE,
        lambda uow: writeoffs.post(uow, proposed.proposal_id, on, f"post-{n}"),
    )
    inv.entries.append((on, amount))
    inv.written_off.append((on, amount))


# --- the pure twin over the test's own records --------------------------------------------------


def twin(
    made: Iterable[Invoice], matrix: ProvisionMatrix, period_end: date, before: Provisions | None
) -> Provisions:
    """The domain's run over what the test recorded, against the previous twin run."""
    previous_end = date(1900, 1, 1) if before is None else PERIODS[PERIODS.index(period_end) - 1]
    made = list(made)
    items = [
        OpenItem(i.id, i.customer, i.currency, i.open_at(period_end), i.issue, i.due) for i in made
    ]
    previous = [
        PreviousProvision(p.invoice_id, line.customer_id, line.currency, p.provision_minor)
        for line in (before.lines if before else ())
        for p in line.invoices
    ]
    written_off = {
        i.id: sum(a for on, a in i.written_off if previous_end < on <= period_end) for i in made
    }
    return provision_run(items, previous, written_off, matrix, period_end)


async def stored(runtime: Any, tenant: UUID, run_id: UUID) -> dict[tuple[UUID, str], Any]:
    """Every stored line of a run, read back through the closing reads."""
    session = ReadSession(runtime.engine, tenant)
    try:
        page = await reads.provision_customer_page(session, run_id, None, None, 10_000)
    finally:
        await session.close()
    assert not page.has_next
    return {(line.customer_id, line.currency): line for line in page.lines}


async def test_provision_sql_matches_the_domain_run(runtime, tenants):
    tenant = tenants["acme"]
    made = await seed(runtime, tenant)
    assert any(i.written_off for i in made) and any(a < 0 for i in made for _, a in i.entries)
    before: Provisions | None = None
    utilised = 0
    for period_end, matrix in zip(PERIODS, MATRICES, strict=True):
        # given: the tenant's matrix for this month end
        changes = PolicyChanges(
            provision_matrix=MatrixIn(
                matrix.basis, tuple((b.min_days, str(b.rate)) for b in matrix.bands)
            )
        )
        await _in(runtime, tenant, CLERK, lambda uow, c=changes: policy.update(uow, c))
        # when: the SQL run
        run = await _in(
            runtime, tenant, CLERK, lambda uow, p=period_end: provisions.run_provisions(uow, p)
        )
        # then: line for line, invoice for invoice, the domain's run over the same facts
        want = twin(made, matrix, period_end, before)
        got = await stored(runtime, tenant, run.run_id)
        assert got == {(line.customer_id, line.currency): line for line in want.lines}
        assert run.totals == want.totals
        assert run.basis == matrix.basis
        before = want
        utilised += sum(t.utilised_minor for t in want.totals)
    assert {DPD, AGE} == {m.basis for m in MATRICES}
    assert utilised > 0  # write-offs between runs were seen as utilised, not released
