"""Read entry points for receivables: invoices and payments."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain import roles, texts
from domain.errors import DomainError
from domain.invoices import InvoiceStatus as Status
from schema.context import Context
from schema.errors import bad_input
from schema.input_rules import text_arg
from schema.ledger.aging import AgingBasis, AgingBucket, AgingGroup, AgingLine, AgingReport
from schema.ledger.types import (
    Invoice,
    InvoiceConnection,
    InvoiceEdge,
    InvoiceFilter,
    Payment,
    PaymentConnection,
    PaymentEdge,
)
from schema.paging import After, Before, First, Last
from schema.permissions import allow, roles_note
from schema.relay import (
    connection,
    cursor_id,
    edges_of,
    encode_cursor,
    from_global_id,
    page_info,
    ranked_cursor,
    row_cursor,
    window,
)
from services.ledger import aging as aging_service
from services.ledger import reads as ledger_reads
from services.ledger.records import InvoiceRecord, PaymentRecord

READ = roles.READ_RECEIVABLES
ZERO_ID = UUID(int=0)  #: aging cursors carry their key in the value part
AGING_PAGE = 100  #: aging lines a page holds when the client names no size
AgingFirst = Annotated[
    int | None,
    strawberry.argument(
        description="Lines reading forward, 1-100 (100 when neither `first` nor `last` is "
        "given). Not with `last` or `before`."
    ),
]


def _row_cursor(record: InvoiceRecord | PaymentRecord) -> str:
    return row_cursor(record.id)


def _decode(global_id: str, expected: str, field: str = "id") -> Any:
    """A global id's uuid; a malformed one is INVALID_ID naming the argument (`field`)."""
    return from_global_id(global_id, expected, field)[1]


@strawberry.type(description="Receivables reads.")
class LedgerQuery:
    @strawberry.field(
        description="Invoices by due date, a page at a time." + roles_note(READ),
        extensions=allow(READ),
    )
    async def invoices(
        self,
        info: Info[Context, Any],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            InvoiceFilter | None, strawberry.argument(description="Narrow the list.")
        ] = None,
    ) -> InvoiceConnection:
        ctx = info.context
        asked = window(first, after, last, before, ctx.runtime.settings.max_page_size)
        flt = filter or InvoiceFilter()
        customer_id = None
        if flt.customer_id is not None:
            customer_id = _decode(flt.customer_id, "Customer", "filter.customerId")
            if customer_id is None:
                return connection(InvoiceConnection, [], False, 0, asked)
        query = ledger_reads.InvoiceQuery(
            customer_id=customer_id,
            status=Status(flt.status.value) if flt.status else None,
            currency=flt.currency,
            overdue_on=ctx.today if flt.overdue else None,
        )
        page = await ledger_reads.invoices_page(
            ctx.session, query, cursor_id(asked), asked.size, asked.backward
        )
        edges = edges_of(InvoiceEdge, page.items, Invoice.from_row, _row_cursor)
        return connection(InvoiceConnection, edges, page.has_next, page.total, asked)

    @strawberry.field(
        description="One invoice; null when not found." + roles_note(READ), extensions=allow(READ)
    )
    async def invoice(
        self,
        info: Info[Context, Any],
        id: Annotated[strawberry.ID, strawberry.argument(description="Global id.")],
    ) -> Invoice | None:
        raw = _decode(id, "Invoice")
        if raw is None:
            return None
        record = (await ledger_reads.invoices_by_ids(info.context.session, [raw]))[0]
        return Invoice.from_row(record) if record else None

    @strawberry.field(
        description="Payments, newest first." + roles_note(READ), extensions=allow(READ)
    )
    async def payments(
        self,
        info: Info[Context, Any],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        customer_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="One customer's payments.")
        ] = None,
    ) -> PaymentConnection:
        ctx = info.context
        asked = window(first, after, last, before, ctx.runtime.settings.max_page_size)
        raw_customer = None
        if customer_id is not None:
            raw_customer = _decode(customer_id, "Customer", "customerId")
            if raw_customer is None:
                return connection(PaymentConnection, [], False, 0, asked)
        page = await ledger_reads.payments_page(
            ctx.session, raw_customer, cursor_id(asked), asked.size, asked.backward
        )
        edges = edges_of(PaymentEdge, page.items, Payment.from_row, _row_cursor)
        return connection(PaymentConnection, edges, page.has_next, page.total, asked)

    @strawberry.field(
        description="Aging as of a date (default today): tenant totals per currency and a "
        "page of groups, most overdue first." + roles_note(READ),
        extensions=allow(READ),
    )
    async def aging(
        self,
        info: Info[Context, Any],
        as_of: Annotated[date | None, strawberry.argument(description="Default today.")] = None,
        basis: Annotated[
            AgingBasis, strawberry.argument(description="DPD or AGE.")
        ] = AgingBasis.DAYS_PAST_DUE,
        group_by: Annotated[
            AgingGroup, strawberry.argument(description="Grouping.")
        ] = AgingGroup.CUSTOMER,
        currency: Annotated[str | None, text_arg("One currency.", texts.CURRENCY)] = None,
        first: AgingFirst = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        customer_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only this customer's invoices (with INVOICE)."),
        ] = None,
    ) -> AgingReport:
        ctx = info.context
        customer = None
        if customer_id is not None:  # another tenant's id ages like an unknown one: empty
            customer = _decode(customer_id, "Customer", "customerId") or ZERO_ID
        asked = window(first, after, last, before, ctx.runtime.settings.max_page_size, AGING_PAGE)
        try:
            result = await aging_service.aging(
                ctx.session,
                as_of=as_of or ctx.today,
                basis=basis.value,
                group=group_by.value,
                currency=currency,
                after=ranked_cursor(asked.cursor),
                first=asked.size,
                customer=customer,
                backward=asked.backward,
            )
        except DomainError as exc:
            raise bad_input(exc) from None

        def line(data: Any) -> AgingLine:
            token = encode_cursor([data.overdue_minor, data.key, data.currency], ZERO_ID)
            return AgingLine.build(data, group_by.value, token)

        lines = [line(r) for r in result.rows]
        return AgingReport(
            as_of=result.as_of,
            basis=basis,
            buckets=[
                AgingBucket(label=b.label, min_days=b.min_days, max_days=b.max_days)
                for b in result.buckets
            ],
            totals=[line(t) for t in result.totals],
            lines=lines,
            total_count=result.group_count,
            page_info=page_info(lines, result.has_next, asked),
        )

    @strawberry.field(
        description="One payment; null when not found." + roles_note(READ), extensions=allow(READ)
    )
    async def payment(
        self,
        info: Info[Context, Any],
        id: Annotated[strawberry.ID, strawberry.argument(description="Global id.")],
    ) -> Payment | None:
        raw = _decode(id, "Payment")
        if raw is None:
            return None
        record = (await ledger_reads.payments_by_ids(info.context.session, [raw]))[0]
        return Payment.from_row(record) if record else None
