"""Payments: posted once, allocated oldest-due-first or explicitly, reversed (never edited)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.ledger_tables import allocations, payments
from dbschema.queries import customers as customer_queries
from dbschema.queries.events import record_event
from dbschema.queries.ledger import (
    lock_invoices,
    lock_open_invoices,
    lock_payment,
    net_payment_allocations,
    post_allocations,
)
from domain import texts
from domain.allocation import (
    Receivable,
    Target,
    allocate_oldest_first,
    check_explicit,
    parse_lines,
)
from domain.dates import check_date
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.money import Money
from services.closing import writeoffs
from services.idempotency import Once, Operation, fingerprint, run_once
from services.ledger.inputs import AllocationLine, PaymentIn
from services.ledger.invoices import (
    NO_REPLAY_KEY,
    dates_in_range,
    max_document,
    positive_money,
    replay_key,
)
from services.ledger.records import AllocationReversed, PaymentPosted, PaymentReversed
from services.uow import UnitOfWork
from services.warnings import triggers as warning_triggers

METHODS = ("BANK_TRANSFER", "CHEQUE", "CASH", "CARD", "BILL", "OTHER")
TOPIC_PAYMENT = "payment.received"
POST_PAYMENT = Operation("POST_PAYMENT", PaymentPosted)
ALLOCATE_PAYMENT = Operation("ALLOCATE_PAYMENT", PaymentPosted)
REVERSE_PAYMENT = Operation("REVERSE_PAYMENT", PaymentReversed)
REVERSE_ALLOCATION = Operation("REVERSE_ALLOCATION", AllocationReversed)


def _lines(lines: list[AllocationLine]) -> list[tuple[str, str]]:
    return [(str(line.invoice_id), line.amount) for line in lines]


def payment_content(data: PaymentIn) -> dict[str, Any]:
    """What identifies a payment request, for replay comparison."""
    return {
        "customer": str(data.customer_id),
        "received": data.received_on,
        "amount": data.amount.amount,
        "currency": data.amount.currency,
        "method": data.method,
        "reference": data.reference,
        "allocation": data.allocation,
        "lines": _lines(data.lines),
    }


async def _plan(
    uow: UnitOfWork, payment: dict[str, Any], mode: str, lines: list[AllocationLine]
) -> list[tuple[UUID, int]]:
    """Where a locked payment's cash goes; every rule checked (domain.allocation) first."""
    currency = payment["currency"].strip()
    available = payment["unallocated_minor"]
    if mode == "NONE":
        return []
    if mode == "AUTO":
        open_items = await lock_open_invoices(uow.conn, payment["customer_id"], currency)
        return allocate_oldest_first(
            available,
            [
                Receivable(i["id"], i["due_date"], i["issue_date"], i["open_minor"])
                for i in open_items
            ],
        )
    wanted = parse_lines([(line.invoice_id, line.amount) for line in lines], currency)
    locked = await lock_invoices(uow.conn, [i for i, _ in wanted])
    targets = {
        i: Target(i, inv["customer_id"], inv["currency"].strip(), inv["open_minor"])
        for i, inv in locked.items()
    }
    return check_explicit(wanted, targets, payment["customer_id"], currency, available)


async def _allocate(
    uow: UnitOfWork,
    payment: dict[str, Any],
    mode: str,
    lines: list[AllocationLine],
    effective_on: date,
) -> tuple[UUID, ...]:
    """Allocate from a locked payment and move its unallocated amount by the same sum."""
    chosen = await _plan(uow, payment, mode, lines)
    if not chosen:
        return ()
    created = await post_allocations(
        uow.conn,
        uow.tenant_id,
        kind="PAYMENT",
        source_column="payment_id",
        source_id=payment["id"],
        currency=payment["currency"].strip(),
        lines=chosen,
        effective_on=effective_on,
        actor=uow.actor.subject,
    )
    await uow.conn.execute(
        payments.update()
        .where(payments.c.id == payment["id"])
        .values(unallocated_minor=payments.c.unallocated_minor - sum(a for _, a in chosen))
    )
    return tuple(created)


async def create_payment(uow: UnitOfWork, data: PaymentIn, key: str | None) -> Once[PaymentPosted]:
    """Record cash received and allocate it, once per key or external id."""

    async def work() -> PaymentPosted:
        money = await _checked(uow, data, [])
        payment_id: UUID = await uow.conn.scalar(
            payments.insert()
            .values(
                tenant_id=uow.tenant_id,
                external_id=data.external_id,
                customer_id=data.customer_id,
                received_on=data.received_on,
                currency=money.currency,
                amount_minor=money.minor,
                unallocated_minor=money.minor,
                method=data.method,
                reference=data.reference,
                fingerprint=fingerprint(payment_content(data)),
                created_by=uow.actor.subject,
            )
            .returning(payments.c.id)
        )
        payment = await lock_payment(uow.conn, payment_id)
        assert payment is not None
        created = await _allocate(uow, payment, data.allocation, data.lines, data.received_on)
        await record_event(
            uow.conn,
            uow.tenant_id,
            TOPIC_PAYMENT,
            {
                "paymentId": str(payment_id),
                "customerId": str(data.customer_id),
                "amount": money.to_decimal_string(),
                "currency": money.currency,
                "receivedOn": data.received_on.isoformat(),
            },
        )
        return PaymentPosted(payment_id, created)

    replay = replay_key(key, data.external_id)
    if replay is None:
        await _checked(uow, data, [NO_REPLAY_KEY])  # raises, with every other refusal
    assert replay is not None
    return await run_once(uow, POST_PAYMENT, replay, payment_content(data), work)


async def _checked(uow: UnitOfWork, data: PaymentIn, errors: list[DomainError]) -> Money:
    """The payment's amount, or every refusal of the request at once (with `errors`)."""
    money = positive_money(data.amount, "amount", errors, await max_document(uow))
    dates_in_range(errors, receivedOn=data.received_on)
    texts.collect_text(data.reference, texts.REFERENCE, "reference", errors)
    texts.collect_text(data.external_id, texts.REFERENCE, "externalId", errors)
    if data.method not in METHODS:
        errors.append(DomainError("INVALID_INPUT", f"method must be one of {METHODS}", "method"))
    if data.allocation not in ("AUTO", "NONE", "EXPLICIT"):
        errors.append(
            DomainError("INVALID_INPUT", "allocation is AUTO, NONE or EXPLICIT", "allocation")
        )
    customers = await customer_queries.by_ids(uow.conn, [data.customer_id])
    if not customers:
        errors.append(NotFound("customerId", "customer"))
    if errors or money is None:
        raise ValidationFailed(errors)
    return money


async def allocate_payment(
    uow: UnitOfWork,
    payment_id: UUID,
    mode: str,
    lines: list[AllocationLine],
    effective_on: date,
    key: str,
) -> Once[PaymentPosted]:
    """Allocate cash left on account (oldest due first, or explicit lines)."""
    content = {"payment": str(payment_id), "mode": mode, "lines": _lines(lines)}

    async def work() -> PaymentPosted:
        check_date(effective_on, "effectiveOn")
        payment = await lock_payment(uow.conn, payment_id)
        if payment is None:
            raise NotFound("paymentId", "payment")
        if payment["status"] != "POSTED":
            raise DomainError(
                "PAYMENT_REVERSED", "a reversed payment cannot be allocated", "paymentId"
            )
        if mode not in ("AUTO", "EXPLICIT"):
            raise DomainError("INVALID_INPUT", "mode is AUTO or EXPLICIT", "mode")
        created = await _allocate(uow, payment, mode, lines, effective_on)
        return PaymentPosted(payment_id, created)

    return await run_once(uow, ALLOCATE_PAYMENT, key, content, work)


async def reverse_payment(
    uow: UnitOfWork, payment_id: UUID, reason: str, on: date, key: str
) -> Once[PaymentReversed]:
    """A mistaken or bounced payment: reversal entries re-open what it paid."""
    content = {"payment": str(payment_id), "reason": reason, "on": on}

    async def work() -> PaymentReversed:
        if not reason.strip():
            raise DomainError("REQUIRED", "say why the payment is reversed", "reason")
        texts.check_text(reason, texts.NOTE, "reason")
        check_date(on, "effectiveOn")
        payment = await lock_payment(uow.conn, payment_id)
        if payment is None:
            raise NotFound("paymentId", "payment")
        if payment["status"] == "REVERSED":
            raise DomainError("ALREADY_REVERSED", "payment is already reversed", "paymentId")
        live = await net_payment_allocations(uow.conn, payment_id)
        await lock_invoices(uow.conn, [a["invoice_id"] for a in live])
        for allocation in live:
            await post_allocations(
                uow.conn,
                uow.tenant_id,
                kind="PAYMENT",
                source_column="payment_id",
                source_id=payment_id,
                currency=payment["currency"].strip(),
                lines=[(allocation["invoice_id"], -allocation["amount_minor"])],
                effective_on=on,
                actor=uow.actor.subject,
                reverses={allocation["invoice_id"]: allocation["id"]},
            )
        await uow.conn.execute(
            payments.update()
            .where(payments.c.id == payment_id)
            .values(
                status="REVERSED",
                reversed_at=sa.func.now(),
                reversal_reason=reason.strip(),
                unallocated_minor=payments.c.amount_minor,
            )
        )
        if payment["recovery_case_id"] is not None:  # cash on a written-off debt bounced
            await writeoffs.undo_recovery(uow, payment["recovery_case_id"], payment["amount_minor"])
        await warning_triggers.payment_reversed(uow, payment["customer_id"], payment_id)
        return PaymentReversed(payment_id, len(live))

    return await run_once(uow, REVERSE_PAYMENT, key, content, work)


async def reverse_allocation(
    uow: UnitOfWork, allocation_id: UUID, on: date, key: str
) -> Once[AllocationReversed]:
    """Undo one payment allocation (e.g. applied to the wrong invoice); cash goes on account."""
    content = {"allocation": str(allocation_id), "on": on}

    async def work() -> AllocationReversed:
        check_date(on, "effectiveOn")
        row = (
            await uow.conn.execute(sa.select(allocations).where(allocations.c.id == allocation_id))
        ).first()
        if row is None or row.kind != "PAYMENT" or row.amount_minor < 0:
            raise NotFound("allocationId", "payment allocation")
        payment = await lock_payment(uow.conn, row.payment_id)
        assert payment is not None
        already = await uow.conn.scalar(
            sa.select(allocations.c.id).where(allocations.c.reverses_id == allocation_id)
        )
        if already is not None:
            raise DomainError("ALREADY_REVERSED", "allocation is already reversed", "allocationId")
        await lock_invoices(uow.conn, [row.invoice_id])
        created = await post_allocations(
            uow.conn,
            uow.tenant_id,
            kind="PAYMENT",
            source_column="payment_id",
            source_id=row.payment_id,
            currency=row.currency.strip(),
            lines=[(row.invoice_id, -row.amount_minor)],
            effective_on=on,
            actor=uow.actor.subject,
            reverses={row.invoice_id: allocation_id},
        )
        await uow.conn.execute(
            payments.update()
            .where(payments.c.id == row.payment_id)
            .values(unallocated_minor=payments.c.unallocated_minor + row.amount_minor)
        )
        return AllocationReversed(created[0], row.payment_id)

    return await run_once(uow, REVERSE_ALLOCATION, key, content, work)
