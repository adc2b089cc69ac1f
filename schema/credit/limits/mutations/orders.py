"""Sales orders from integrators: create (idempotent by orderRef), change, ship, cancel."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles, texts
from schema.context import Context
from schema.credit.errors import CREDIT
from schema.credit.limits.types import SalesOrder
from schema.input_rules import text
from schema.money import MoneyInput
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from services.credit import orders
from services.inputs import MoneyIn
from services.uow import UnitOfWork

REF = "The order's reference in the integrator's system (its invoices carry it as orderRef)."
WRITE = roles.REGISTER_ORDERS


@strawberry.input(description="A new sales order; registering the same one again is a replay.")
class CreateSalesOrderInput:
    order_ref: str = text(
        limit=texts.SHORT, description=REF + " Unique in the tenant, 1-100 chars."
    )
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    amount: MoneyInput = strawberry.field(
        description="The order's amount, above zero and at most the document ceiling; a replay "
        "compares the value, not how it is written."
    )
    ordered_on: date | None = strawberry.field(
        default=None,
        description="Order date, not in the future; default the day it is registered (a "
        "replay without it matches the order's date, one naming it must name that date).",
    )


@strawberry.input(description="A new amount for an open order (same currency).")
class ChangeSalesOrderInput:
    order_ref: str = text(limit=texts.SHORT, description=REF)
    amount: MoneyInput = strawberry.field(
        description="New amount, not below what is invoiced, at most the document ceiling."
    )


@strawberry.input(description="The order was delivered; it counts until invoiced.")
class ShipSalesOrderInput:
    order_ref: str = text(limit=texts.SHORT, description=REF)
    shipped_on: date | None = strawberry.field(default=None, description="Default today.")


@strawberry.input(
    description="The order is withdrawn (only one neither shipped nor invoiced, not even in "
    "part); what it added stops counting."
)
class CancelSalesOrderInput:
    order_ref: str = text(limit=texts.SHORT, description=REF)
    reason: str = text(limit=texts.DESCRIPTION, description="Why, 1-500 characters.")


@strawberry.type(description="Result of a sales-order mutation.")
class SalesOrderPayload(CREDIT.payload):  # type: ignore[misc,name-defined]
    order: SalesOrder | None = strawberry.field(default=None, description="The order now.")
    replayed: bool = strawberry.field(
        default=False, description="True when this registration had been made before."
    )


def _money(value: MoneyInput) -> MoneyIn:
    return MoneyIn(value.amount, value.currency)


async def _respond(
    info: Info[Context, Any], work: Callable[[UnitOfWork], Awaitable[orders.OrderView]]
) -> SalesOrderPayload:
    async def show(result: orders.OrderView) -> dict[str, Any]:
        return {"order": SalesOrder.build(result)}

    return await respond(info, SalesOrderPayload, work, show)


async def create_sales_order(
    info: Info[Context, Any], input: Annotated[CreateSalesOrderInput, INPUT]
) -> SalesOrderPayload:
    today = info.context.today

    async def work(uow: UnitOfWork) -> tuple[orders.OrderView, bool]:
        data = orders.OrderIn(
            order_ref=input.order_ref,
            customer_id=decode(input.customer_id, "Customer", "customerId"),
            amount=_money(input.amount),
            ordered_on=input.ordered_on,
        )
        return await orders.create_order(uow, data, today)

    async def show(result: tuple[orders.OrderView, bool]) -> dict[str, Any]:
        return {"order": SalesOrder.build(result[0]), "replayed": result[1]}

    return await respond(info, SalesOrderPayload, work, show)


async def change_sales_order(
    info: Info[Context, Any], input: Annotated[ChangeSalesOrderInput, INPUT]
) -> SalesOrderPayload:
    return await _respond(
        info, lambda uow: orders.change_order(uow, input.order_ref, _money(input.amount))
    )


async def ship_sales_order(
    info: Info[Context, Any], input: Annotated[ShipSalesOrderInput, INPUT]
) -> SalesOrderPayload:
    today = info.context.today
    return await _respond(
        info,
        lambda uow: orders.ship_order(uow, input.order_ref, input.shipped_on or today, today),
    )


async def cancel_sales_order(
    info: Info[Context, Any], input: Annotated[CancelSalesOrderInput, INPUT]
) -> SalesOrderPayload:
    return await _respond(info, lambda uow: orders.cancel_order(uow, input.order_ref, input.reason))


FIELDS = {
    "create_sales_order": strawberry.mutation(
        resolver=create_sales_order,
        extensions=allow(WRITE),
        description="Register an open sales order (idempotent by orderRef; other content under "
        "the same reference is refused); registering or replaying it confirms a live "
        "reservation of the same reference and customer." + roles_note(WRITE),
    ),
    "change_sales_order": strawberry.mutation(
        resolver=change_sales_order,
        extensions=allow(WRITE),
        description="Change an open order's amount; audited." + roles_note(WRITE),
    ),
    "ship_sales_order": strawberry.mutation(
        resolver=ship_sales_order,
        extensions=allow(WRITE),
        description="Mark an order shipped (idempotent); audited." + roles_note(WRITE),
    ),
    "cancel_sales_order": strawberry.mutation(
        resolver=cancel_sales_order,
        extensions=allow(WRITE),
        description="Cancel an order neither shipped nor invoiced, not even in part (else "
        "INVALID_STATUS: invoice it, or change it down to what is invoiced); idempotent; "
        "audited." + roles_note(WRITE),
    ),
}
