"""Open sales orders, registered by integrators: create, change, ship, cancel.

An order is identified by its reference in the integrator's system (`order_ref`), the same
reference its invoices carry: invoicing consumes the order (a trigger, in the invoice's own
transaction), so an order and its invoice never both count as exposure. Registering an
order, or replaying its registration, confirms a live reservation taken for the same reference
and customer. Every change is audited; the input rules are `domain.credit.orders`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from dbschema.credit_limit_tables import credit_reservations, sales_orders
from dbschema.ledger_tables import invoices
from dbschema.queries import customers as customer_queries
from dbschema.queries.credit_exposure import lock_credit
from domain.audit import AuditAction
from domain.credit.exposure import OrderState, OrderStatus, consume
from domain.credit.orders import (
    OrderRequest,
    cancel_refusal,
    cancel_request,
    change_request,
    order_request,
    ship_request,
)
from domain.errors import DomainError, NotFound
from domain.money import Money
from services.credit.trail import audited, newest_first
from services.idempotency import fingerprint
from services.inputs import MoneyIn
from services.paging import Seek
from services.read_session import ReadSession, by_ids
from services.uow import UnitOfWork


@dataclass(frozen=True)
class OrderIn:
    """An order as an integrator registers it (no order date: the day it is registered)."""

    order_ref: str
    customer_id: UUID
    amount: MoneyIn
    ordered_on: date | None


@dataclass(frozen=True)
class OrderView:
    """An order and what it still adds to exposure."""

    id: UUID
    order_ref: str
    customer_id: UUID
    amount: Money
    invoiced: Money
    open: Money
    status: str
    ordered_on: date
    shipped_on: date | None
    cancel_reason: str | None
    version: int
    created_at: datetime
    updated_at: datetime


def order_view(row: Any) -> OrderView:
    """A stored order."""
    currency = row.currency.strip()
    state = OrderState(currency, row.amount_minor, row.invoiced_minor, OrderStatus(row.status))
    return OrderView(
        id=row.id,
        order_ref=row.order_ref,
        customer_id=row.customer_id,
        amount=Money(int(row.amount_minor), currency),
        invoiced=Money(int(row.invoiced_minor), currency),
        open=Money(state.remaining_minor, currency),
        status=row.status,
        ordered_on=row.ordered_on,
        shipped_on=row.shipped_on,
        cancel_reason=row.cancel_reason,
        version=int(row.version),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _legacy_digest(data: OrderIn, ordered_on: date) -> str:
    """The fingerprint orders registered before fingerprints compared parsed money carry (the
    amount's text as sent, the date the order got), so a verbatim retry of one still replays."""
    return fingerprint(
        {
            "ref": data.order_ref.strip(),
            "customer": str(data.customer_id),
            "amount": data.amount.amount.strip(),
            "currency": data.amount.currency.strip(),
            "orderedOn": ordered_on,
        }
    )


async def _audit(uow: UnitOfWork, row: Any, verb: AuditAction, changes: dict[str, Any]) -> None:
    await audited(uow, "SalesOrder", row.id, row.customer_id, verb, changes)


async def _invoiced_before(
    uow: UnitOfWork, ref: str, customer_id: UUID, money: Money
) -> OrderState:
    """An order registered after its invoices starts consumed by them (as the trigger would)."""
    state = OrderState(money.currency, money.minor, 0, OrderStatus.OPEN)
    rows = await uow.conn.execute(
        sa.select(invoices.c.currency, invoices.c.amount_minor)
        .where(invoices.c.order_ref == ref, invoices.c.customer_id == customer_id)
        .order_by(invoices.c.created_at, invoices.c.id)
    )
    for currency, amount in rows:
        state = consume(state, currency.strip(), int(amount))
    return state


async def _registered(
    uow: UnitOfWork, request: OrderRequest, data: OrderIn, digest: str
) -> Any | None:
    """The order already registered under this reference, if the request repeats it; other
    content (customer, money, a date other than the order's) is IDEMPOTENCY_MISMATCH."""
    existing = (
        await uow.conn.execute(
            sa.select(sales_orders).where(sales_orders.c.order_ref == request.ref)
        )
    ).first()
    if existing is None:
        return None
    legacy = _legacy_digest(data, request.ordered_on or existing.ordered_on)
    if existing.fingerprint not in (digest, legacy) or not request.same_date(existing.ordered_on):
        raise DomainError(
            "IDEMPOTENCY_MISMATCH", "this order reference was registered with other content",
            "orderRef",
        )  # fmt: skip
    return existing


async def _held_by_another(uow: UnitOfWork, ref: str, customer_id: UUID) -> bool:
    """Whether another customer holds `ref` live: a reference has one live hold, and only its
    customer's order confirms it (as a check refuses a reference another customer holds)."""
    held = await uow.conn.scalar(
        sa.select(
            sa.exists().where(
                credit_reservations.c.order_ref == ref,
                credit_reservations.c.customer_id != customer_id,
                credit_reservations.c.status == "ACTIVE",
                credit_reservations.c.expires_at > sa.func.now(),
            )
        )
    )
    return bool(held)


async def _confirm_reservation(uow: UnitOfWork, order: Any) -> None:
    """The order counts now, so a live hold taken for its reference and customer stops."""
    await uow.conn.execute(
        credit_reservations.update()
        .where(
            credit_reservations.c.order_ref == order.order_ref,
            credit_reservations.c.customer_id == order.customer_id,
            credit_reservations.c.status == "ACTIVE",
            credit_reservations.c.expires_at > sa.func.now(),
        )
        .values(status="CONFIRMED", order_id=order.id, closed_at=sa.func.now())
    )


async def _insert(
    uow: UnitOfWork, request: OrderRequest, customer_id: UUID, digest: str, today: date
) -> Any | None:
    """The new order's row, audited; None when the reference was registered meanwhile (under
    another customer's lock, so this one did not wait for it)."""
    ref, money = request.ref, request.amount
    state = await _invoiced_before(uow, ref, customer_id, money)
    row = (
        await uow.conn.execute(
            insert(sales_orders)
            .values(
                tenant_id=uow.tenant_id,
                order_ref=ref,
                customer_id=customer_id,
                currency=money.currency,
                amount_minor=money.minor,
                invoiced_minor=state.invoiced_minor,
                status=state.status.value,
                ordered_on=request.ordered_on or today,
                fingerprint=digest,
                created_by=uow.actor.subject,
            )
            .on_conflict_do_nothing(index_elements=["tenant_id", "order_ref"])
            .returning(sales_orders)
        )
    ).first()
    if row is not None:
        await _audit(
            uow,
            row,
            AuditAction.CREATE_SALES_ORDER,
            {"order": {"before": None, "after": {"ref": ref, "amount": money.minor}}},
        )
    return row


async def create_order(uow: UnitOfWork, data: OrderIn, today: date) -> tuple[OrderView, bool]:
    """Register an order once per reference; a replay with the same content returns it (and
    confirms a reservation taken meanwhile), other content under it is IDEMPOTENCY_MISMATCH."""
    request = order_request(
        data.order_ref, data.amount.amount, data.amount.currency, data.ordered_on, today
    )
    customers = await customer_queries.by_ids(uow.conn, [data.customer_id])
    if not customers:
        raise NotFound("customerId", "customer")
    await lock_credit(uow.conn, uow.tenant_id, [data.customer_id])
    digest = fingerprint(request.content(str(data.customer_id)))
    row = await _registered(uow, request, data, digest)
    replayed = row is not None
    if row is None:
        if customers[0].status != "ACTIVE":
            raise DomainError("CUSTOMER_ARCHIVED", "customer is archived", "customerId")
        if await _held_by_another(uow, request.ref, data.customer_id):
            raise DomainError(
                "ORDER_REF_TAKEN",
                "another customer holds this order reference (a live credit-check reservation); "
                "release it or use another reference",
                "orderRef",
            )  # its hold could then never be confirmed, and would linger until it expires
        row = await _insert(uow, request, data.customer_id, digest, today)
    if row is None:
        row, replayed = await _registered(uow, request, data, digest), True
        assert row is not None  # the conflict was on this reference
    await _confirm_reservation(uow, row)
    return order_view(row), replayed


async def _locked(uow: UnitOfWork, ref: str) -> Any:
    row = (
        await uow.conn.execute(sa.select(sales_orders).where(sales_orders.c.order_ref == ref))
    ).first()
    if row is None:
        raise NotFound("orderRef", "order")
    await lock_credit(uow.conn, uow.tenant_id, [row.customer_id])
    return (
        await uow.conn.execute(
            sa.select(sales_orders).where(sales_orders.c.id == row.id).with_for_update()
        )
    ).one()


async def _save(uow: UnitOfWork, row: Any, values: dict[str, Any], verb: AuditAction) -> OrderView:
    updated = (
        await uow.conn.execute(
            sales_orders.update()
            .where(sales_orders.c.id == row.id)
            .values(**values, version=sales_orders.c.version + 1, updated_at=sa.func.now())
            .returning(sales_orders)
        )
    ).one()
    changes = {
        k: {"before": _plain(getattr(row, k)), "after": _plain(getattr(updated, k))}
        for k in values
        if getattr(row, k) != getattr(updated, k)
    }
    await _audit(uow, updated, verb, changes)
    return order_view(updated)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


async def change_order(uow: UnitOfWork, order_ref: str, amount: MoneyIn) -> OrderView:
    """Change an open order's amount (same currency, not below what is invoiced)."""
    ref, money = change_request(order_ref, amount.amount, amount.currency)
    row = await _locked(uow, ref)
    if row.status not in ("OPEN", "SHIPPED"):
        raise DomainError("INVALID_STATUS", f"the order is {row.status.lower()}", "orderRef")
    if money.currency != row.currency.strip():
        raise DomainError("CURRENCY_MISMATCH", "an order keeps its currency", "amount.currency")
    if money.minor < row.invoiced_minor:
        raise DomainError("BELOW_INVOICED", "less than what is invoiced already", "amount.amount")
    if money.minor == row.amount_minor:
        return order_view(row)
    state = OrderState(money.currency, money.minor, row.invoiced_minor, OrderStatus(row.status))
    status = OrderStatus.INVOICED if state.invoiced_minor >= money.minor else state.status
    return await _save(
        uow,
        row,
        {"amount_minor": money.minor, "status": status.value},
        AuditAction.CHANGE_SALES_ORDER,
    )


async def ship_order(uow: UnitOfWork, order_ref: str, shipped_on: date, today: date) -> OrderView:
    """Mark an order shipped (it counts until invoiced); shipping twice changes nothing."""
    ref = ship_request(order_ref, shipped_on, today)
    row = await _locked(uow, ref)
    if row.status == "CANCELLED":
        raise DomainError("INVALID_STATUS", "the order is cancelled", "orderRef")
    if row.shipped_on is not None:
        return order_view(row)
    status = "SHIPPED" if row.status == "OPEN" else row.status
    return await _save(
        uow, row, {"shipped_on": shipped_on, "status": status}, AuditAction.SHIP_SALES_ORDER
    )


async def cancel_order(uow: UnitOfWork, order_ref: str, reason: str) -> OrderView:
    """Withdraw an order neither shipped nor invoiced, not even in part (cancel_refusal); what
    it added to exposure stops counting. Cancelling twice changes nothing."""
    ref, text = cancel_request(order_ref, reason)
    row = await _locked(uow, ref)
    if row.status == "CANCELLED":
        return order_view(row)
    refusal = cancel_refusal(
        OrderStatus(row.status), row.shipped_on is not None, row.invoiced_minor
    )
    if refusal is not None:
        raise refusal
    return await _save(
        uow, row, {"status": "CANCELLED", "cancel_reason": text}, AuditAction.CANCEL_SALES_ORDER
    )


async def orders_page(
    session: ReadSession,
    *,
    customer_id: UUID | None,
    open_only: bool,
    after: Seek | None,
    first: int,
) -> tuple[list[OrderView], bool]:
    """Orders newest first, optionally one customer's and only those still counting."""
    t = sales_orders
    query = sa.select(t)
    if customer_id is not None:
        query = query.where(t.c.customer_id == customer_id)
    if open_only:
        query = query.where(t.c.status.in_(("OPEN", "SHIPPED")))
    rows, more = await newest_first(session, query, [t.c.created_at, t.c.id], after, first)
    return [order_view(r) for r in rows], more


async def orders_by_ids(session: ReadSession, ids: list[UUID]) -> list[OrderView | None]:
    """Orders in the order asked (for `node`), None where the tenant has none."""
    return await by_ids(session, sa.select(sales_orders), sales_orders.c.id, ids, order_view)
