"""Posting an import's payments, each allocated oldest due first, in a few set-wise statements.

The plan is made from the open invoices as they stand, without locking them (a 5,000-payment
batch's customers hold ~100,000 open invoices; locking them all was most of an import); then
only the invoices the plan uses are locked, in id order, checked unchanged and their balances
moved, in one statement, and the payments go in already knowing what they leave unallocated,
so each is written once. When another writer moved one of those invoices in between, or a
concurrent import took one of the external ids, that work is rolled back to a savepoint and
the batch posts the careful way: payments in, every open invoice of their customers locked
while planning, unallocated amounts set afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy.exc import IntegrityError

from dbschema.queries.events import events_body, record_events, record_events_body
from dbschema.queries.import_plan import (
    Planned,
    plan_oldest_first,
    plan_oldest_first_locked,
    start_lock_and_move,
)
from dbschema.queries.ledger_imports import (
    BY_CUSTOMER,
    BY_INVOICE,
    bulk_insert_payments,
    post_payment_allocations_bulk,
    sorted_body,
)
from domain.money import decimal_string
from services.ledger import import_targets
from services.ledger.payments import TOPIC_PAYMENT
from services.uow import UnitOfWork

#: SQLSTATE of a unique violation: the strict insert met an external id taken meanwhile.
UNIQUE_VIOLATION = "23505"


class _Stale(Exception):
    """The plan no longer holds (an invoice moved, an external id was taken): roll back."""


async def post_payments(uow: UnitOfWork, pending: Sequence[dict[str, Any]]) -> dict[str, UUID]:
    """Insert a batch's checked payments and allocate them oldest due first, in batch order;
    the new payments' ids by external id (a row left out was posted meanwhile by a
    concurrent import). Payments that name an invoice take from it first (the careful way,
    with the invoices locked: services.ledger.import_targets), the rest oldest due first."""
    if any(p.get("named_invoice_id") for p in pending):
        return await _named_first(uow, pending)
    try:
        async with uow.conn.begin_nested():
            return await _planned_first(uow, pending)
    except _Stale:
        return await _inserted_first(uow, pending)
    except IntegrityError as exc:
        if getattr(exc.orig, "sqlstate", None) != UNIQUE_VIOLATION:
            raise
        return await _inserted_first(uow, pending)  # an external id was taken meanwhile


def _batch(payments: Sequence[dict[str, Any]]) -> list[tuple[UUID, str, int]]:
    return [(p["customer_id"], p["currency"], p["amount_minor"]) for p in payments]


def _taken(plan: Sequence[Planned], count: int) -> list[int]:
    """What the plan allocates from each payment of the batch, by position."""
    taken = [0] * count
    for line in plan:
        taken[line.ord] += line.amount
    return taken


@dataclass(frozen=True, slots=True)
class _Posting:
    """A planned batch ready to write: its rows (with their new ids), and the bodies of the
    payment, allocation and event inserts."""

    rows: list[dict[str, Any]]
    payments_body: str
    lines: list[dict[str, Any]]
    lines_body: str
    events_body: str


def _prepared(pending: Sequence[dict[str, Any]], plan: Sequence[Planned]) -> _Posting:
    """Everything a planned batch writes, made in Python before any of it is sent: the
    payments with what the plan leaves them, their allocation lines and their events."""
    taken = _taken(plan, len(pending))
    rows = [{**p, "unallocated_minor": p["amount_minor"] - taken[n]} for n, p in enumerate(pending)]
    payments_body = sorted_body(rows, BY_CUSTOMER)  # gives each row its new id
    payment_ids = [row["id"] for row in rows]
    lines = [
        _line(pending[line.ord], payment_ids[line.ord], line.invoice_id, line.amount)
        for line in plan
    ]
    lines_body = sorted_body(lines, BY_INVOICE)
    return _Posting(rows, payments_body, lines, lines_body, events_body(_events(rows, payment_ids)))


async def _planned_first(uow: UnitOfWork, pending: Sequence[dict[str, Any]]) -> dict[str, UUID]:
    """Plan unlocked; lock the invoices the plan uses, check them and move their balances in
    one statement (the pages the plan just read), making the inserts meanwhile; then write
    the payments with what the plan leaves them, the allocations and the events."""
    plan = await plan_oldest_first(uow.conn, _batch(pending))
    moving = await start_lock_and_move(uow.conn, plan)
    try:
        posting = _prepared(pending, plan)  # in Python while the server locks and moves
    finally:
        moved = await moving
    if not moved:
        raise _Stale
    # the batch's external ids were free when read: insert without checking each row first
    inserted = await bulk_insert_payments(
        uow.conn,
        uow.tenant_id,
        uow.actor.subject,
        posting.rows,
        skip=False,
        body=posting.payments_body,
    )
    await post_payment_allocations_bulk(
        uow.conn,
        uow.tenant_id,
        uow.actor.subject,
        posting.lines,
        balances_moved=True,
        body=posting.lines_body,
    )
    await record_events_body(uow.conn, uow.tenant_id, TOPIC_PAYMENT, posting.events_body)
    return inserted


async def _inserted_first(uow: UnitOfWork, pending: Sequence[dict[str, Any]]) -> dict[str, UUID]:
    """Insert the payments, plan with every open invoice of their customers locked, then set
    what each payment left unallocated."""
    rows = [{**p, "unallocated_minor": p["amount_minor"]} for p in pending]
    inserted = await bulk_insert_payments(uow.conn, uow.tenant_id, uow.actor.subject, rows)
    posted = [p for p in pending if p["external_id"] in inserted]
    if posted:
        plan = await plan_oldest_first_locked(uow.conn, _batch(posted))
        await _allocate(uow, posted, inserted, plan, with_unallocated=True)
    return inserted


async def _named_first(uow: UnitOfWork, pending: Sequence[dict[str, Any]]) -> dict[str, UUID]:
    """Insert the payments; each that names an invoice takes from it first (locked), then
    what is left of every payment is planned oldest due first with the invoices locked."""
    rows = [{**p, "unallocated_minor": p["amount_minor"]} for p in pending]
    inserted = await bulk_insert_payments(uow.conn, uow.tenant_id, uow.actor.subject, rows)
    posted = [p for p in pending if p["external_id"] in inserted]
    if not posted:
        return inserted
    ids = [inserted[p["external_id"]] for p in posted]
    named_lines, left = await import_targets.allocate_named(
        uow, [{**p, "id": ids[n]} for n, p in enumerate(posted)]
    )
    position = {payment_id: n for n, payment_id in enumerate(ids)}
    first = [
        _line(posted[position[pid]], pid, invoice_id, amount)
        for pid, invoice_id, amount in named_lines
    ]
    if first:
        await post_payment_allocations_bulk(uow.conn, uow.tenant_id, uow.actor.subject, first)
    rest = [n for n, payment_id in enumerate(ids) if left.get(payment_id, 0) > 0]
    plan = await plan_oldest_first_locked(
        uow.conn,
        [(posted[n]["customer_id"], posted[n]["currency"], left[ids[n]]) for n in rest],
    )
    lines = [
        _line(posted[rest[line.ord]], ids[rest[line.ord]], line.invoice_id, line.amount)
        for line in plan
    ]
    for line in plan:
        left[ids[rest[line.ord]]] -= line.amount
    unallocated = {
        payment_id: left.get(payment_id, 0)
        for n, payment_id in enumerate(ids)
        if left.get(payment_id, 0) != posted[n]["amount_minor"]
    }
    await post_payment_allocations_bulk(
        uow.conn, uow.tenant_id, uow.actor.subject, lines, unallocated
    )
    await _announce(uow, posted, ids)
    return inserted


def _line(
    payment: dict[str, Any], payment_id: UUID, invoice_id: UUID, amount: int
) -> dict[str, Any]:
    """One PAYMENT allocation line as the bulk insert takes it."""
    return {
        "invoice_id": invoice_id,
        "currency": payment["currency"],
        "payment_id": payment_id,
        "amount_minor": amount,
        "effective_on": payment["received_on"],
    }


async def _allocate(
    uow: UnitOfWork,
    posted: Sequence[dict[str, Any]],
    ids: dict[str, UUID],
    plan: Sequence[Planned],
    *,
    with_unallocated: bool,
) -> None:
    """Write the plan's allocations and the balances they move (and, when asked, the
    payments' unallocated amounts) and announce each posted payment."""
    payment_ids = [ids[p["external_id"]] for p in posted]
    lines = [
        _line(posted[line.ord], payment_ids[line.ord], line.invoice_id, line.amount)
        for line in plan
    ]
    left: dict[UUID, int] | None = None
    if with_unallocated:
        taken = _taken(plan, len(posted))
        left = {
            payment_ids[n]: p["amount_minor"] - taken[n] for n, p in enumerate(posted) if taken[n]
        }
    await post_payment_allocations_bulk(uow.conn, uow.tenant_id, uow.actor.subject, lines, left)
    await _announce(uow, posted, payment_ids)


async def _announce(
    uow: UnitOfWork, posted: Sequence[dict[str, Any]], payment_ids: list[UUID]
) -> None:
    """One payment-received event per posted payment."""
    await record_events(uow.conn, uow.tenant_id, TOPIC_PAYMENT, _events(posted, payment_ids))


def _events(posted: Sequence[dict[str, Any]], payment_ids: list[UUID]) -> list[dict[str, Any]]:
    """The payment-received payloads (the new ids and the dates as the outbox's JSON writes
    them: canonical text, as str() and isoformat() give)."""
    return [
        {
            "paymentId": payment_ids[n],
            "customerId": str(p["customer_id"]),
            "amount": decimal_string(p["amount_minor"], p["currency"]),
            "currency": p["currency"],
            "receivedOn": p["received_on"],
        }
        for n, p in enumerate(posted)
    ]
