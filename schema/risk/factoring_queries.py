"""Read entry points for factoring: agreements, assigned invoices, the sub-ledger, the
reconciliation with the receivables ledger, and an eligibility check before assigning."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from domain import roles
from domain.errors import DomainError
from schema.context import Context
from schema.paging import After, Before, First, Last
from schema.permissions import allow, roles_note
from schema.relay import (
    Window,
    connection,
    decode_row_cursor,
    edges_of,
    row_cursor,
    seek_of,
    to_global_id,
    window,
)
from schema.risk.factoring_agreement_types import (
    AgreementConnection,
    AgreementEdge,
    FactoringAgreement,
)
from schema.risk.factoring_assignment_types import (
    AssignmentRefusal,
    EntryConnection,
    EntryEdge,
    FactoredConnection,
    FactoredEdge,
    FactoredInvoice,
    FactoredStatus,
    FactoringEntry,
)
from schema.risk.factoring_reconciliation_types import FactoringReconciliation
from schema.risk.transfer import as_of_date, raw_id
from services.paging import Seek
from services.risk import factoring, factoring_reads, factoring_reconcile

READ = roles.READ_RISK_TRANSFER


def _seq_cursor(asked: Window) -> Seek:
    """A sub-ledger entry's place: its sequence number (entries have no id), carried in the
    same compact cursor shape as a row id."""
    if asked.cursor is None:
        return Seek(None, asked.backward)
    seq = decode_row_cursor(asked.cursor).int
    if not 0 <= seq < 2**63:
        raise GraphQLError("Malformed cursor", extensions={"code": "BAD_USER_INPUT"})
    return Seek(UUID(int=seq), asked.backward)


@strawberry.type(description="Factoring reads.")
class FactoringQuery:
    @strawberry.field(
        description="Factoring agreements, newest first." + roles_note(READ),
        extensions=allow(READ),
    )
    async def factoring_agreements(
        self,
        info: Info[Context, Any],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> AgreementConnection:  # type: ignore[valid-type]
        ctx = info.context
        asked = window(first, after, last, before, ctx.runtime.settings.max_page_size)
        page = await factoring_reads.agreements_page(ctx.session, seek_of(asked), asked.size)
        edges = edges_of(
            AgreementEdge,
            page.items,
            FactoringAgreement.of,
            lambda a: row_cursor(a.id),
        )
        return connection(AgreementConnection, edges, page.has_next, page.total, asked)

    @strawberry.field(
        description="Invoices assigned to factors, latest assignment first." + roles_note(READ),
        extensions=allow(READ),
    )
    async def factored_invoices(
        self,
        info: Info[Context, Any],
        agreement_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="One agreement's.")
        ] = None,
        customer_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="One debtor's.")
        ] = None,
        status: Annotated[
            FactoredStatus | None, strawberry.argument(description="Only these.")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> FactoredConnection:  # type: ignore[valid-type]
        ctx = info.context
        asked = window(first, after, last, before, ctx.runtime.settings.max_page_size)
        agreement = raw_id(agreement_id, "FactoringAgreement")
        customer = raw_id(customer_id, "Customer")
        if (agreement_id and not agreement) or (customer_id and not customer):
            return connection(FactoredConnection, [], False, 0, asked)
        page = await factoring_reads.assignments_page(
            ctx.session,
            agreement,
            status.value if status else None,
            customer,
            seek_of(asked),
            asked.size,
        )
        edges = edges_of(
            FactoredEdge,
            page.items,
            FactoredInvoice.of,
            lambda a: row_cursor(a.id),
        )
        return connection(FactoredConnection, edges, page.has_next, page.total, asked)

    @strawberry.field(
        description="The factoring sub-ledger, newest entry first." + roles_note(READ),
        extensions=allow(READ),
    )
    async def factoring_entries(
        self,
        info: Info[Context, Any],
        agreement_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="One agreement's.")
        ] = None,
        invoice_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="One invoice's.")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> EntryConnection:  # type: ignore[valid-type]
        ctx = info.context
        asked = window(first, after, last, before, ctx.runtime.settings.max_page_size)
        agreement = raw_id(agreement_id, "FactoringAgreement")
        invoice = raw_id(invoice_id, "Invoice")
        if (agreement_id and not agreement) or (invoice_id and not invoice):
            return connection(EntryConnection, [], False, 0, asked)
        page = await factoring_reads.entries_page(
            ctx.session, agreement, invoice, _seq_cursor(asked), asked.size
        )
        edges = edges_of(
            EntryEdge, page.items, FactoringEntry.of, lambda e: row_cursor(UUID(int=e.seq))
        )
        return connection(EntryConnection, edges, page.has_next, page.total, asked)

    @strawberry.field(
        description="The factoring sub-ledger against the receivables ledger at the end of a "
        "date: every assignment active that day whose factored amount differs from the "
        "invoice's open amount." + roles_note(READ),
        extensions=allow(READ),
    )
    async def factoring_reconciliation(
        self,
        info: Info[Context, Any],
        agreement_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="One agreement (default all).")
        ] = None,
        as_of: Annotated[
            date | None, strawberry.argument(description="The date (default today).")
        ] = None,
    ) -> FactoringReconciliation:
        day = as_of_date(as_of, info.context.today)
        agreement = raw_id(agreement_id, "FactoringAgreement")
        if agreement_id and not agreement:
            return FactoringReconciliation(as_of=day, compared=0, differences=[])
        result = await factoring_reconcile.with_receivables(info.context.session, agreement, day)
        return FactoringReconciliation.of(result)

    @strawberry.field(
        description="Why each offered invoice could not be assigned under an agreement on a "
        "date (only the refused ones; at most 5,000 offered)." + roles_note(READ),
        extensions=allow(READ),
    )
    async def assignment_eligibility(
        self,
        info: Info[Context, Any],
        agreement_id: Annotated[
            strawberry.ID, strawberry.argument(description="Global id of the agreement.")
        ],
        invoice_ids: Annotated[
            list[strawberry.ID], strawberry.argument(description="Global ids of invoices.")
        ],
        on: Annotated[
            date | None, strawberry.argument(description="Assignment date (default today).")
        ] = None,
    ) -> list[AssignmentRefusal]:
        day = as_of_date(on, info.context.today)
        agreement = raw_id(agreement_id, "FactoringAgreement")
        ids = [raw_id(g, "Invoice") for g in invoice_ids]
        if agreement is None:
            return []
        known = [i for i in ids if i is not None]
        try:
            refused = await factoring.eligibility(info.context.session, agreement, known, day)
        except DomainError as exc:
            raise GraphQLError(exc.message, extensions={"code": "BAD_USER_INPUT"}) from None
        out = [
            AssignmentRefusal(index=n, invoice_id=g, reasons=["NOT_FOUND"])
            for n, (g, i) in enumerate(zip(invoice_ids, ids, strict=True))
            if i is None
        ]
        positions = {i: n for n, i in enumerate(ids) if i is not None}
        out.extend(
            AssignmentRefusal(
                index=positions[r.invoice_id],
                invoice_id=to_global_id("Invoice", r.invoice_id),
                reasons=list(r.reasons),
            )
            for r in refused
        )
        return sorted(out, key=lambda r: r.index)
