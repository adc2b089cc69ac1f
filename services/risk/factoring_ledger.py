"""The factoring sub-ledger after assignment: collections, remittances, settlement, buy-back.

Entries are never edited. Every receivables-ledger allocation on an assigned invoice is
mirrored once (payments as collections, credit notes and write-offs as dilutions, reversals as
negative entries), so at any date the receivable the factor holds equals the invoice's open
amount. An invoice paid up (and, when we received the money, remitted) is settled: discount
interest is charged and the reserve released, or the shortfall paid. A with-recourse invoice
still unpaid past its window is bought back: the debt returns to our risk.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.ledger_tables import invoices
from dbschema.queries import risk_factoring as q
from dbschema.queries.events import record_event
from dbschema.risk_factoring_tables import (
    factored_invoices,
    factoring_agreements,
    factoring_entries,
)
from domain.audit import AuditAction
from domain.dates import check_date
from domain.errors import DomainError
from domain.money import Money
from domain.risk import factoring as rules
from domain.risk.factoring import Entry, EntryKind
from services import audit
from services.idempotency import Operation, run_once
from services.inputs import MoneyIn
from services.ledger import payments
from services.ledger.inputs import AllocationLine, PaymentIn
from services.read_session import ReadSession
from services.risk.factoring import active_assignment, agreement_row
from services.uow import UnitOfWork
from services.warnings.signals import raise_warning

BUYBACK_WARNING = "FACTORING_BUYBACK"  #: raised on the customer whose invoice came back
RECEIVERS = ("FACTOR", "US")


@dataclass(frozen=True, slots=True)
class Step:
    """What a sub-ledger step touched, and whether an idempotency key replayed it."""

    invoice_id: UUID | None = None
    agreement_id: UUID | None = None
    replayed: bool = False


BUY_BACK = Operation("BUY_BACK_INVOICE", Step)
RECORD_COLLECTION = Operation("RECORD_FACTORING_COLLECTION", Step)
REMIT = Operation("REMIT_TO_FACTOR", Step)


@dataclass(frozen=True, slots=True)
class DailyResult:
    """What a day's factoring run did."""

    as_of: date
    mirrored: int
    settled: int
    bought_back: int


async def entries_of(conn: Any, assignment_ids: list[UUID]) -> dict[UUID, list[Entry]]:
    """Each assignment's entries, oldest first, as the rules read them."""
    e = factoring_entries.c
    rows = await conn.execute(
        sa.select(e.assignment_id, e.kind, e.amount_minor, e.effective_on, e.received_by)
        .where(e.assignment_id.in_(assignment_ids))
        .order_by(e.seq)
    )
    out: dict[UUID, list[Entry]] = defaultdict(list)
    for r in rows:
        out[r.assignment_id].append(
            Entry(EntryKind(r.kind), r.amount_minor, r.effective_on, r.received_by)
        )
    return out


async def _post(uow: UnitOfWork, row: Any, kind: EntryKind, amount: int, on: date) -> None:
    await uow.conn.execute(
        factoring_entries.insert().values(
            tenant_id=uow.tenant_id,
            agreement_id=row.agreement_id,
            assignment_id=row.id,
            invoice_id=row.invoice_id,
            kind=kind.value,
            currency=row.currency,
            amount_minor=amount,
            effective_on=on,
            created_by=uow.actor.subject,
        )
    )


async def _close(uow: UnitOfWork, row: Any, entries: list[Entry], on: date, status: str) -> None:
    """Charge discount interest to `on` and release the reserve or pay the shortfall."""
    p = rules.position(entries)
    credits = [
        (e.effective_on, e.amount_minor)
        for e in entries
        if e.kind is EntryKind.REMITTANCE
        or (e.kind is EntryKind.COLLECTION and e.received_by == "FACTOR")
    ]
    interest = rules.discount_interest(
        p.advance_minor, credits, row.assigned_on, on, Decimal(row.interest_percent)
    )
    closing = rules.settle(p, interest)
    for kind, amount in (
        (EntryKind.INTEREST, closing.interest_minor),
        (EntryKind.RESERVE_RELEASE, closing.release_minor),
        (EntryKind.SHORTFALL, closing.shortfall_minor),
    ):
        if amount:
            await _post(uow, row, kind, amount, on)
    await uow.conn.execute(
        factored_invoices.update()
        .where(factored_invoices.c.id == row.id)
        .values(status=status, closed_on=on)
    )


def _assignment_query() -> sa.Select[Any]:
    f, g = factored_invoices, factoring_agreements
    return (
        sa.select(
            f,
            g.c.recourse,
            g.c.disclosed,
            g.c.interest_percent,
            g.c.recourse_days,
            invoices.c.due_date,
        )
        .join(g, sa.and_(g.c.tenant_id == f.c.tenant_id, g.c.id == f.c.agreement_id))
        .join(
            invoices,
            sa.and_(invoices.c.tenant_id == f.c.tenant_id, invoices.c.id == f.c.invoice_id),
        )
        .where(f.c.status == "ACTIVE")
        .order_by(f.c.invoice_id)
        .with_for_update(of=f)
    )


async def settle_paid(uow: UnitOfWork, on: date, invoice_ids: list[UUID] | None = None) -> int:
    """Settle the active assignments whose invoices are paid up and whose collections the
    factor has (received or remitted); how many were settled."""
    query = _assignment_query().where(invoices.c.open_minor == 0)
    if invoice_ids is not None:
        query = query.where(factored_invoices.c.invoice_id.in_(invoice_ids))
    rows = (await uow.conn.execute(query)).all()
    found = await entries_of(uow.conn, [r.id for r in rows])
    settled = 0
    for row in rows:
        p = rules.position(found[row.id])
        if p.factored_open_minor == 0 and p.held_minor == 0:
            await _close(uow, row, found[row.id], on, "SETTLED")
            settled += 1
    return settled


async def _buy_back(uow: UnitOfWork, row: Any, on: date, automatic: bool) -> None:
    entries = (await entries_of(uow.conn, [row.id]))[row.id]
    p = rules.position(entries)
    if p.factored_open_minor > 0:
        await _post(uow, row, EntryKind.BUYBACK, p.factored_open_minor, on)
        entries.append(Entry(EntryKind.BUYBACK, p.factored_open_minor, on))
    await _close(uow, row, entries, on, "BOUGHT_BACK")
    currency = row.currency.strip()
    payload = {
        "invoiceId": str(row.invoice_id),
        "customerId": str(row.customer_id),
        "agreementId": str(row.agreement_id),
        "amount": Money(p.factored_open_minor, currency).to_decimal_string(),
        "currency": currency,
        "on": on.isoformat(),
        "automatic": automatic,
    }
    await record_event(uow.conn, uow.tenant_id, "risk.buyback", payload)
    await raise_warning(uow, row.customer_id, BUYBACK_WARNING, "MEDIUM", payload)
    await audit.record(
        uow,
        AuditAction.BUY_BACK_INVOICE,
        "Invoice",
        row.invoice_id,
        row.customer_id,
        {"status": {"before": "ACTIVE", "after": "BOUGHT_BACK"}},
    )


async def buy_back(uow: UnitOfWork, invoice_id: UUID, on: date, key: str) -> Step:
    """Take a with-recourse invoice back from the factor (the daily job does it past the
    window; earlier is a voluntary repurchase). Without recourse there is nothing to take."""
    content = {"invoice": str(invoice_id), "on": on}

    async def work() -> Step:
        check_date(on, "on")
        await sync(uow)
        row = await active_assignment(uow, invoice_id)
        if not row.recourse:
            raise DomainError(
                "RECOURSE_NOT_AVAILABLE",
                "factored without recourse: the factor bears the risk, nothing to buy back",
                "invoiceId",
            )
        if on < row.assigned_on:
            raise DomainError("BEFORE_ASSIGNMENT", "before the invoice was assigned", "on")
        await _buy_back(uow, row, on, automatic=False)
        return Step(invoice_id=invoice_id)

    step, replayed = await run_once(uow, BUY_BACK, key, content, work)
    return replace(step, replayed=replayed)


async def record_collection(
    uow: UnitOfWork,
    invoice_id: UUID,
    amount: str,
    received_on: date,
    received_by: str,
    reference: str | None,
    key: str,
) -> Step:
    """The debtor paid an assigned invoice: to the factor (disclosed) or to us (confidential,
    owed on until remitted). Posted to the receivables ledger and mirrored at once."""
    content = {
        "invoice": str(invoice_id),
        "amount": amount,
        "on": received_on,
        "by": received_by,
        "ref": reference,
    }

    async def work() -> Step:
        check_date(received_on, "receivedOn")
        if received_by not in RECEIVERS:
            raise DomainError("INVALID_INPUT", "FACTOR or US", "receivedBy")
        await sync(uow)
        row = await active_assignment(uow, invoice_id)
        open_minor = await uow.conn.scalar(
            sa.select(invoices.c.open_minor).where(invoices.c.id == invoice_id)
        )
        currency = row.currency.strip()
        money = Money.parse(amount, currency, "amount")
        if money.minor <= 0:
            raise DomainError("AMOUNT_NOT_POSITIVE", "must be greater than zero", "amount.amount")
        if money.minor > (open_minor or 0):
            raise DomainError(
                "EXCEEDS_OPEN_AMOUNT", "more than the invoice's open amount", "amount.amount"
            )
        if received_on < row.assigned_on:
            raise DomainError("BEFORE_ASSIGNMENT", "before the invoice was assigned", "receivedOn")
        paid, _ = await payments.create_payment(
            uow,
            PaymentIn(
                customer_id=row.customer_id,
                received_on=received_on,
                amount=MoneyIn(money.to_decimal_string(), currency),
                reference=reference or f"factoring:{received_by.lower()}",
                allocation="EXPLICIT",
                lines=[AllocationLine(invoice_id, money.to_decimal_string())],
            ),
            key=f"factoring:{key}",
        )
        (allocation_id,) = paid.allocation_ids
        await uow.conn.execute(
            factoring_entries.insert().values(
                tenant_id=uow.tenant_id,
                agreement_id=row.agreement_id,
                assignment_id=row.id,
                invoice_id=invoice_id,
                kind=EntryKind.COLLECTION.value,
                currency=row.currency,
                amount_minor=money.minor,
                effective_on=received_on,
                received_by=received_by,
                allocation_id=allocation_id,
                created_by=uow.actor.subject,
            )
        )
        await settle_paid(uow, received_on, [invoice_id])
        return Step(invoice_id=invoice_id)

    step, replayed = await run_once(uow, RECORD_COLLECTION, key, content, work)
    return replace(step, replayed=replayed)


async def remit(uow: UnitOfWork, agreement_id: UUID, on: date, key: str) -> Step:
    """Pass every collection we hold for the factor on to it (confidential factoring)."""

    async def work() -> Step:
        check_date(on, "on")
        await agreement_row(uow, agreement_id)
        await sync(uow)
        rows = (
            await uow.conn.execute(
                _assignment_query().where(factored_invoices.c.agreement_id == agreement_id)
            )
        ).all()
        found = await entries_of(uow.conn, [r.id for r in rows])
        remitted: list[UUID] = []
        for row in rows:
            held = rules.position(found[row.id]).held_minor
            if held > 0:
                await _post(uow, row, EntryKind.REMITTANCE, held, on)
                remitted.append(row.invoice_id)
        await settle_paid(uow, on, remitted)
        return Step(agreement_id=agreement_id)

    content = {"agreement": str(agreement_id), "on": on}
    step, replayed = await run_once(uow, REMIT, key, content, work)
    return replace(step, replayed=replayed)


async def sync(uow: UnitOfWork) -> int:
    """Mirror every new receivables-ledger allocation on assigned invoices (once each)."""
    return len(await q.sync(uow.conn, uow.actor.subject))


async def daily(uow: UnitOfWork, as_of: date) -> DailyResult:
    """The day's run: mirror, settle what is paid up, buy back what is past its window."""
    mirrored = await sync(uow)
    settled = await settle_paid(uow, as_of)
    g = factoring_agreements.c
    due = (
        await uow.conn.execute(
            _assignment_query().where(
                g.recourse,
                invoices.c.is_open,
                invoices.c.due_date + g.recourse_days < as_of,
                factored_invoices.c.assigned_on <= as_of,
            )
        )
    ).all()
    bought = 0
    for row in due:
        if rules.buyback_due(row.due_date, row.recourse_days, as_of):
            await _buy_back(uow, row, as_of, automatic=True)
            bought += 1
    return DailyResult(as_of, mirrored, settled, bought)


async def non_recourse_open_amounts(
    session: ReadSession, customer_ids: list[UUID], as_of: date
) -> dict[UUID, dict[str, int]]:
    """Per customer and currency, the open amount (minor units) factored without recourse on
    `as_of`: the factor's risk, not ours. For the waterfall."""
    rows = await session.run(lambda conn: q.non_recourse(conn, customer_ids, as_of))
    out: dict[UUID, dict[str, int]] = defaultdict(dict)
    for r in rows:
        if int(r.factored_minor) > 0:
            out[r.customer_id][r.currency] = int(r.factored_minor)
    return dict(out)
