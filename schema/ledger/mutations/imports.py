"""Bulk import mutations: up to 5,000 invoices or payments a call, idempotent by external id.

Valid rows post in one transaction while invalid ones come back by index, so an integrator
can fix and resend only the failures; replaying the whole batch posts nothing new.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info
from strawberry.utils.str_converters import to_camel_case

from domain import roles, texts
from domain.errors import DomainError
from schema.context import Context
from schema.input_rules import text
from schema.ledger.errors import LEDGER
from schema.mutation import INPUT, respond
from schema.permissions import allow, roles_note
from schema.relay import InvalidId, from_global_id, to_global_id
from services.ledger import imports as import_service
from services.ledger.imports import ImportRow
from services.ledger.records import ImportOutcome
from services.uow import UnitOfWork

ROWS_NOTE = f"At most {import_service.MAX_ROWS} rows; pass them as a variable."
#: Dates are text so that one malformed date is its row's INVALID_DATE, not the batch's failure.
TEXT_NOTE = " A malformed date, or one outside 1900-01-01..2199-12-31, refuses only this row."
#: Texts too: an overlong value is its row's TOO_LONG, checked by the import service.


@strawberry.enum(description="What happened to one import row.")
class ImportRowStatus(Enum):
    CREATED = strawberry.enum_value("CREATED", description="Posted by this call.")
    REPLAYED = strawberry.enum_value(
        "REPLAYED", description="Posted before with the same content; nothing new."
    )
    ERROR = strawberry.enum_value("ERROR", description="Refused; see userErrors.")


@strawberry.input(description="One invoice to import.")
class ImportInvoiceRow:
    external_id: str = text("Id in the source system (idempotency).", texts.REFERENCE)
    number: str = text("Invoice number, unique in the tenant.", texts.REFERENCE)
    customer_code: str = text("The customer's code.", texts.CODE)
    issue_date: str = text("Issue date, YYYY-MM-DD." + TEXT_NOTE, texts.DATE_TEXT)
    amount: str = text('Decimal amount, for example "1250.00".', texts.AMOUNT)
    currency: str = text("ISO 4217 code.", texts.CURRENCY)
    due_date: str | None = text(
        "Due date, YYYY-MM-DD; derived from the customer's terms when omitted.",
        texts.DATE_TEXT,
        default=None,
    )
    order_ref: str | None = text("Sales order reference.", texts.REFERENCE, default=None)


@strawberry.input(
    description="One payment to import; it is allocated to the invoice it names first, then "
    "(the rest, or all of it when it names none) oldest due first."
)
class ImportPaymentRow:
    external_id: str = text("Id in the source system (idempotency).", texts.REFERENCE)
    customer_code: str = text("The customer's code.", texts.CODE)
    received_on: str = text("Date received, YYYY-MM-DD." + TEXT_NOTE, texts.DATE_TEXT)
    amount: str = text("Decimal amount.", texts.AMOUNT)
    currency: str = text("ISO 4217 code.", texts.CURRENCY)
    method: str = text(
        "BANK_TRANSFER, CHEQUE, CASH, CARD, BILL or OTHER.", texts.CODE, default="BANK_TRANSFER"
    )
    reference: str | None = text("Bank reference.", texts.REFERENCE, default=None)
    invoice: str | None = text(
        "The invoice this payment pays (its number or global id): allocated to it first, up "
        "to what it still owes; any rest goes oldest due first. An unknown invoice, another "
        "customer's or another currency's refuses the row.",
        texts.REFERENCE,
        default=None,
    )


@strawberry.input(description="A batch of invoices.")
class ImportInvoicesInput:
    rows: list[ImportInvoiceRow] = strawberry.field(description="The invoices. " + ROWS_NOTE)


@strawberry.input(description="A batch of payments.")
class ImportPaymentsInput:
    rows: list[ImportPaymentRow] = strawberry.field(description="The payments. " + ROWS_NOTE)


def _rows_straight(row_type: type) -> Any:
    """Build a batch's rows as the service's ImportRows straight from graphql-core's coerced
    mapping: every field of a row is a leaf, so strawberry's generic conversion (an input
    object and a dispatch per row, most of a 5,000-row call's conversion) is not needed, and
    the resolver passes the rows on as they are."""
    definition = row_type.__strawberry_definition__  # type: ignore[attr-defined]
    fields = tuple(
        (f.graphql_name or to_camel_case(f.python_name), f.python_name) for f in definition.fields
    )

    def build(cls: type, value: Mapping[str, Any], _context: Any) -> Any:
        rows = [
            ImportRow(**{name: row[key] for key, name in fields if key in row})
            for row in value["rows"]
        ]
        return cls(rows=rows)

    return build


for _batch, _row in (
    (ImportInvoicesInput, ImportInvoiceRow),
    (ImportPaymentsInput, ImportPaymentRow),
):
    _batch.__strawberry_definition__.from_input = _rows_straight(_row)  # type: ignore[attr-defined]


@strawberry.type(description="The outcome of one row, by its index in the batch.")
class ImportRowResult(LEDGER.payload):
    index: int = strawberry.field(default=0, description="Zero-based position in `rows`.")
    status: ImportRowStatus = strawberry.field(
        default=ImportRowStatus.ERROR, description="Created, replayed or refused."
    )
    id: strawberry.ID | None = strawberry.field(
        default=None, description="Global id of the posted document."
    )


@strawberry.type(description="Result of a bulk import.")
class ImportPayload(LEDGER.payload):
    created: int = strawberry.field(default=0, description="Rows posted by this call.")
    replayed: int = strawberry.field(default=0, description="Rows posted before, unchanged.")
    failed: int = strawberry.field(default=0, description="Rows refused.")
    outcome: strawberry.Private[ImportOutcome | None] = None
    kind: strawberry.Private[str] = ""

    @strawberry.field(description="Every row, in input order.")
    def results(self) -> list[ImportRowResult]:
        """Built when asked for: 5,000 result objects are not made for a client that reads
        only the counts."""
        if self.outcome is None:
            return []
        return [
            ImportRowResult(
                index=r.index,
                status=ImportRowStatus[r.status.value],
                id=to_global_id(self.kind, r.id) if r.id else None,
                user_errors=[e for exc in r.errors for e in LEDGER.user_errors(exc)],
            )
            for r in self.outcome.rows
        ]


def _shown(outcome: ImportOutcome, kind: str) -> dict[str, Any]:
    """The payload's fields for an import's outcome."""
    return {
        "created": outcome.created,
        "replayed": outcome.replayed,
        "failed": outcome.failed,
        "outcome": outcome,
        "kind": kind,
    }


async def _import(
    info: Info[Context, Any],
    rows: list[ImportRow],
    service: Callable[[UnitOfWork, list[ImportRow]], Awaitable[ImportOutcome]],
    kind: str,
) -> ImportPayload:
    async def show(outcome: ImportOutcome) -> dict[str, Any]:
        return _shown(outcome, kind)

    return await respond(info, ImportPayload, lambda uow: service(uow, rows), show)


async def import_invoices(
    info: Info[Context, Any], input: Annotated[ImportInvoicesInput, INPUT]
) -> ImportPayload:
    rows: list[ImportRow] = input.rows  # type: ignore[assignment]  # built by _rows_straight
    return await _import(info, rows, import_service.import_invoices, "Invoice")


async def import_payments(
    info: Info[Context, Any], input: Annotated[ImportPaymentsInput, INPUT]
) -> ImportPayload:
    rows: list[ImportRow] = input.rows  # type: ignore[assignment]  # built by _rows_straight
    rows = [_raw_invoice_id(r) if r.invoice else r for r in rows]
    return await _import(info, rows, import_service.import_payments, "Payment")


def _raw_invoice_id(row: ImportRow) -> ImportRow:
    """A row naming its invoice by global id, as the service reads it (the raw id); a number
    is passed on as it is."""
    try:
        return replace(row, invoice=str(from_global_id(row.invoice or "", "Invoice")[1]))
    except (DomainError, InvalidId):
        return row


FIELDS = {
    "import_invoices": strawberry.mutation(
        resolver=import_invoices,
        extensions=allow(roles.POST_INVOICES),
        description="Import invoices in bulk, idempotent by external id; valid rows post, "
        "invalid rows come back by index." + roles_note(roles.POST_INVOICES),
    ),
    "import_payments": strawberry.mutation(
        resolver=import_payments,
        extensions=allow(roles.POST_PAYMENTS),
        description="Import payments in bulk, idempotent by external id; each is allocated "
        "to the invoice it names first, then oldest due first." + roles_note(roles.POST_PAYMENTS),
    ),
}
