"""openDispute and resolveDispute."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from dbschema.ledger_tables import invoices as invoice_table
from domain import roles
from schema.context import Context
from schema.ledger.errors import LEDGER
from schema.ledger.types import Invoice
from schema.mutation import INPUT, decode, run
from schema.permissions import allow, roles_note
from schema.relay import to_global_id
from services.ledger import disputes
from services.ledger import reads as ledger_reads

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
    dispute_id: strawberry.ID | None = strawberry.field(description="Global id of the dispute.")
    invoice: Invoice | None = strawberry.field(description="The invoice after the change.")


async def _payload(
    info: Info[Context, Any], result: dict[str, Any] | None, errors: list[Any]
) -> DisputePayload:
    if not result:
        return DisputePayload(dispute_id=None, invoice=None, user_errors=errors)
    row = (
        await ledger_reads.by_ids(info.context.session, invoice_table, [UUID(result["invoiceId"])])
    )[0]
    return DisputePayload(
        dispute_id=to_global_id("Dispute", UUID(result["disputeId"])),
        invoice=Invoice.from_row(row) if row else None,
        user_errors=errors,
    )


async def open_dispute(
    info: Info[Context, Any], input: Annotated[OpenDisputeInput, INPUT]
) -> DisputePayload:
    result, errors = await run(
        info,
        LEDGER,
        lambda uow: disputes.open_dispute(
            uow, decode(input.invoice_id, "Invoice", "invoiceId"), input.amount, input.reason
        ),
    )
    return await _payload(info, result, errors)


async def resolve_dispute(
    info: Info[Context, Any], input: Annotated[ResolveDisputeInput, INPUT]
) -> DisputePayload:
    result, errors = await run(
        info,
        LEDGER,
        lambda uow: disputes.resolve_dispute(
            uow, decode(input.id, "Dispute"), input.accepted, input.resolution
        ),
    )
    return await _payload(info, result, errors)


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
