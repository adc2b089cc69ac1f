"""Read entry points: customers, warnings, jobs and the Relay `node` field."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from dbschema.queries.customers import CustomerFilter as FilterData
from domain import roles
from domain.errors import DomainError
from schema import loaders
from schema.context import Context
from schema.permissions import allow, roles_note
from schema.relay import (
    Node,
    PageInfo,
    decode_cursor,
    encode_cursor,
    from_global_id,
    page_size,
)
from schema.selection import selected_pairs
from schema.types.customer import (
    Customer,
    CustomerConnection,
    CustomerEdge,
    CustomerFilter,
    CustomerOrder,
    CustomerOrderField,
    OrderDirection,
    completeness_view,
    partner_views,
)
from schema.types.warning import Job, Warning, WarningConnection, WarningEdge, WarningFilter
from services import reads

READ = roles.READ_CUSTOMERS
ORDER_KEY = {
    CustomerOrderField.NAME: "legal_name",
    CustomerOrderField.CODE: "code",
    CustomerOrderField.CREATED: "created_at",
}


def _decode(global_id: str, expected: str) -> Any:
    try:
        return from_global_id(global_id, expected)[1]
    except DomainError:
        return None


async def prefetch_credit_files(
    info: Info[Context, Any],
    customers: list[Customer],
    wanted: AbstractSet[tuple[str, str]] | None = None,
) -> None:
    """Load the dossier parts the query selects for the whole page, before the fields run.

    The page already holds every id and row, so the batch reads run directly: a DataLoader
    would only add a future, a callback and a cache entry per customer on top of them.
    """
    wanted = selected_pairs(info) if wanted is None else wanted
    ctx = info.context
    want_partners = ("creditFile", "partners") in wanted
    if ("creditFile", "completeness") in wanted:
        # one statement for both: the facts query carries the partner links along
        grades, links = await reads.dossiers_for(
            ctx.session, [c.row for c in customers], ctx.today, with_partners=want_partners
        )
        for customer, grade, rows in zip(customers, grades, links, strict=True):
            customer.credit_file.completeness = completeness_view(grade)
            if want_partners:
                customer.credit_file.partners = partner_views(rows)
    elif want_partners:
        partners = await reads.relations_for(ctx.session, [c.raw_id for c in customers])
        for customer, rows in zip(customers, partners, strict=True):
            customer.credit_file.partners = partner_views(rows)


@strawberry.type(description="Who the token says you are.")
class Viewer:
    subject: str = strawberry.field(description="Token subject.")
    tenant: str = strawberry.field(description="Tenant slug.")
    roles: list[str] = strawberry.field(description="Roles granted by the token.")


@strawberry.type(description="Core reads: customers, warnings, jobs, nodes.")
class CoreQuery:
    @strawberry.field(
        description="The caller as the token describes it." + roles_note(READ),
        extensions=allow(READ),
    )
    def viewer(self, info: Info[Context, Any]) -> Viewer:
        p = info.context.principal
        assert p is not None
        return Viewer(subject=p.subject, tenant=p.tenant_slug, roles=sorted(p.roles))

    @strawberry.field(
        description="Customers, a page at a time (at most 100)." + roles_note(READ),
        extensions=allow(READ),
    )
    async def customers(
        self,
        info: Info[Context, Any],
        first: Annotated[int | None, strawberry.argument(description="Page size, 1-100.")] = 20,
        after: Annotated[
            str | None, strawberry.argument(description="Cursor to start after (an edge's cursor).")
        ] = None,
        filter: Annotated[
            CustomerFilter | None, strawberry.argument(description="Narrow the list.")
        ] = None,
        order_by: Annotated[
            CustomerOrder | None, strawberry.argument(description="Sort order.")
        ] = None,
    ) -> CustomerConnection:
        ctx = info.context
        size = page_size(first, ctx.runtime.settings.max_page_size)
        order = order_by or CustomerOrder()
        flt = filter or CustomerFilter()
        data = FilterData(
            text=flt.text, industry=flt.industry, status=flt.status.value if flt.status else None
        )
        wanted = selected_pairs(info)
        rows, total, more = await reads.customers_page(
            ctx.session,
            data,
            order.field.value,
            order.direction == OrderDirection.DESC,
            decode_cursor(after) if after else None,
            size,
            with_total=("customers", "totalCount") in wanted,
        )
        key = ORDER_KEY[order.field]
        edges = [CustomerEdge.of(r, key) for r in rows]
        await prefetch_credit_files(info, [e.node for e in edges], wanted)
        return CustomerConnection(
            edges=edges,
            total_count=total or 0,  # not selected when None: never sent
            page_info=PageInfo(has_next_page=more, end_cursor=edges[-1].cursor if edges else None),
        )

    @strawberry.field(
        description="One customer by global id; null when not found." + roles_note(READ),
        extensions=allow(READ),
    )
    async def customer(
        self,
        info: Info[Context, Any],
        id: Annotated[strawberry.ID, strawberry.argument(description="Global id of the customer.")],
    ) -> Customer | None:
        raw = _decode(id, "Customer")
        if raw is None:
            return None
        row = await info.context.loader("customers", loaders.customers).load(raw)
        return Customer.from_row(row) if row else None

    @strawberry.field(
        description="Any object by global id; null when not found." + roles_note(READ),
        extensions=allow(READ),
    )
    async def node(
        self,
        info: Info[Context, Any],
        id: Annotated[strawberry.ID, strawberry.argument(description="Global id.")],
    ) -> Node | None:
        try:
            type_name, raw = from_global_id(id)
        except DomainError:
            return None
        ctx = info.context
        if type_name == "Customer":
            row = await ctx.loader("customers", loaders.customers).load(raw)
            return Customer.from_row(row) if row else None
        if type_name == "Warning":
            row = await ctx.loader("warnings", loaders.warnings).load(raw)
            return Warning.from_row(row) if row else None
        if type_name in ("Invoice", "Payment"):
            from schema.types.ledger import INVOICE_ROWS, PAYMENT_ROWS, Invoice, Payment

            loader = INVOICE_ROWS if type_name == "Invoice" else PAYMENT_ROWS
            row = await ctx.loader(type_name, loader).load(raw)
            if row is None:
                return None
            return Invoice.from_row(row) if type_name == "Invoice" else Payment.from_row(row)
        if type_name == "Job":
            row = await reads.job_by_id(ctx.session, raw)
            return Job.from_row(row) if row else None
        return None

    @strawberry.field(
        description="Warnings, newest first." + roles_note(READ), extensions=allow(READ)
    )
    async def warnings(
        self,
        info: Info[Context, Any],
        first: Annotated[int | None, strawberry.argument(description="Page size, 1-100.")] = 20,
        after: Annotated[str | None, strawberry.argument(description="Cursor.")] = None,
        filter: Annotated[
            WarningFilter | None, strawberry.argument(description="Narrow the list.")
        ] = None,
    ) -> WarningConnection:
        ctx = info.context
        size = page_size(first, ctx.runtime.settings.max_page_size)
        flt = filter or WarningFilter()
        customer_id = None
        if flt.customer_id is not None:
            customer_id = _decode(flt.customer_id, "Customer")
            if customer_id is None:  # an unknown customer simply has no warnings
                return WarningConnection(
                    edges=[],
                    total_count=0,
                    page_info=PageInfo(has_next_page=False, end_cursor=None),
                )
        rows, total, more = await reads.warnings_page(
            ctx.session,
            status=flt.status.value if flt.status else None,
            min_level=flt.min_level.value if flt.min_level else None,
            customer_id=customer_id,
            kind=flt.kind,
            after=decode_cursor(after) if after else None,
            first=size,
        )
        edges = [
            WarningEdge(cursor=encode_cursor(r["raised_at"], r["id"]), node=Warning.from_row(r))
            for r in rows
        ]
        return WarningConnection(
            edges=edges,
            total_count=total,
            page_info=PageInfo(has_next_page=more, end_cursor=edges[-1].cursor if edges else None),
        )

    @strawberry.field(
        description="A background job's status by global id." + roles_note(READ),
        extensions=allow(READ),
    )
    async def job(
        self,
        info: Info[Context, Any],
        id: Annotated[strawberry.ID, strawberry.argument(description="Global id of the job.")],
    ) -> Job | None:
        raw = _decode(id, "Job")
        if raw is None:
            return None
        row = await reads.job_by_id(info.context.session, raw)
        return Job.from_row(row) if row else None
