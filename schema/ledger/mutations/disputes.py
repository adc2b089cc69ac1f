"""openDispute and resolveDispute."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles
from schema.context import Context
from schema.ledger.errors import LEDGER
from schema.ledger.types import Invoice
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from schema.relay import to_global_id
from services.ledger import disputes
from services.ledger import reads as ledger_reads
from services.ledger.records import DisputeChanged
from services.uow import UnitOfWork

#: Disputes come from the people talking to the customer.
WRITE = frozenset({roles.SALES, roles.COLLECTOR, roles.CREDIT_MANAGER, roles.FINANCE, roles.ADMIN})


@strawberry.input(description="The customer contests (part of) an invoice.")
class OpenDisputeInput:
    invoice_id: strawberry.ID = strawberry.field(description="Global id of the invoice.")
    amount: str = strawberry.field(description="Decimal amount disputed, in its currency.")
    reason: str = strawberry.field(description="What is contested (quality, quantity ...).")


@strawberry.input(description="Close a dispute.")
class ResolveDisputeInput:
    id: strawberry.ID = strawberry.field(description="Global id of the dispute.")
    accepted: bool = strawberry.field(description="True if the customer was right.")
    resolution: str = strawberry.field(description="What was agreed.")


@strawberry.type(description="Result of a dispute mutation.")
class DisputePayload(LEDGER.payload):
    dispute_id: strawberry.ID | None = strawberry.field(
        default=None, description="Global id of the dispute."
    )
    invoice: Invoice | None = strawberry.field(
        default=None, description="The invoice after the change."
    )


def _show(info: Info[Context, Any]) -> Callable[[DisputeChanged], Awaitable[dict[str, Any]]]:
    """The dispute's id and its invoice re-read after the change."""

    async def show(changed: DisputeChanged) -> dict[str, Any]:
        record = (await ledger_reads.invoices_by_ids(info.context.session, [changed.invoice_id]))[0]
        return {
            "dispute_id": to_global_id("Dispute", changed.dispute_id),
            "invoice": Invoice.from_row(record) if record else None,
        }

    return show


async def open_dispute(
    info: Info[Context, Any], input: Annotated[OpenDisputeInput, INPUT]
) -> DisputePayload:
    async def work(uow: UnitOfWork) -> DisputeChanged:
        invoice_id = decode(input.invoice_id, "Invoice", "invoiceId")
        return await disputes.open_dispute(uow, invoice_id, input.amount, input.reason)

    return await respond(info, DisputePayload, work, _show(info))


async def resolve_dispute(
    info: Info[Context, Any], input: Annotated[ResolveDisputeInput, INPUT]
) -> DisputePayload:
    async def work(uow: UnitOfWork) -> DisputeChanged:
        dispute_id = decode(input.id, "Dispute")
        return await disputes.resolve_dispute(uow, dispute_id, input.accepted, input.resolution)

    return await respond(info, DisputePayload, work, _show(info))


FIELDS = {
    "open_dispute": strawberry.mutation(
        resolver=open_dispute,
        extensions=allow(WRITE),
        description="Record a disputed amount; dunning pauses for it." + roles_note(WRITE),
    ),
    "resolve_dispute": strawberry.mutation(
        resolver=resolve_dispute,
        extensions=allow(WRITE),
        description="Close a dispute." + roles_note(WRITE),
    ),
}
