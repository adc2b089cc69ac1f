"""Read entry points for customers and their credit files."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles
from schema.context import Context
from schema.customers import loaders
from schema.customers.types import (
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
from schema.engine.selection import selected_pairs
from schema.paging import After, Before, First, Last
from schema.permissions import allow, roles_note
from schema.relay import connection, cursor_id, from_global_id, window
from services.customers import reads

READ = roles.READ_CUSTOMERS
ORDER = {
    CustomerOrderField.NAME: reads.CustomerOrder.NAME,
    CustomerOrderField.CODE: reads.CustomerOrder.CODE,
    CustomerOrderField.CREATED: reads.CustomerOrder.CREATED,
}


def _decode(global_id: str, expected: str) -> Any:
    return from_global_id(global_id, expected)[1]


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
            ctx.session, [c.row.id for c in customers], ctx.today, with_partners=want_partners
        )
        for customer, grade, rows in zip(customers, grades, links, strict=True):
            customer.credit_file.completeness = completeness_view(grade)
            if want_partners:
                customer.credit_file.partners = partner_views(rows)
    elif want_partners:
        partners = await reads.relations_for(ctx.session, [c.row.id for c in customers])
        for customer, rows in zip(customers, partners, strict=True):
            customer.credit_file.partners = partner_views(rows)


@strawberry.type(description="Customer reads.")
class CustomerQuery:
    @strawberry.field(
        description="Customers, a page at a time (at most 100)." + roles_note(READ),
        extensions=allow(READ),
    )
    async def customers(
        self,
        info: Info[Context, Any],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            CustomerFilter | None, strawberry.argument(description="Narrow the list.")
        ] = None,
        order_by: Annotated[
            CustomerOrder | None, strawberry.argument(description="Sort order.")
        ] = None,
    ) -> CustomerConnection:
        ctx = info.context
        asked = window(first, after, last, before, ctx.runtime.settings.max_page_size)
        order = order_by or CustomerOrder()
        flt = filter or CustomerFilter()
        wanted = selected_pairs(info)
        page = await reads.customers_page(
            ctx.session,
            reads.CustomerFilter(flt.text, flt.industry, flt.status.value if flt.status else None),
            ORDER[order.field],
            order.direction == OrderDirection.DESC,
            cursor_id(asked),
            asked.size,
            backward=asked.backward,
            with_total=("customers", "totalCount") in wanted,
        )
        # Lazy edges, not relay.edges_of: a cursor is encoded only if the query reads it (the
        # page's own query reads none), which edges_of would do for every row up front.
        edges = [CustomerEdge.of(r) for r in page.items]
        await prefetch_credit_files(info, [e.node for e in edges], wanted)
        # the total is None when not selected, and then never sent
        return connection(CustomerConnection, edges, page.has_next, page.total or 0, asked)

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
