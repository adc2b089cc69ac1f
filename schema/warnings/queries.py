"""Read entry points for early-warning signals."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles
from schema.context import Context
from schema.paging import After, Before, First, Last
from schema.permissions import allow, roles_note
from schema.relay import (
    connection,
    edges_of,
    from_global_id,
    row_cursor,
    seek_of,
    window,
)
from schema.warnings.rule_queries import WarningRuleQuery
from schema.warnings.types import Warning, WarningConnection, WarningEdge, WarningFilter
from services.warnings import reads

READ = roles.READ_CUSTOMERS


def _decode(global_id: str, expected: str, field: str = "id") -> Any:
    """A global id's uuid; a malformed one is INVALID_ID naming the argument (`field`)."""
    return from_global_id(global_id, expected, field)[1]


@strawberry.type(description="Warning reads.")
class WarningQuery(WarningRuleQuery):
    @strawberry.field(
        description="Warnings, newest first." + roles_note(READ), extensions=allow(READ)
    )
    async def warnings(
        self,
        info: Info[Context, Any],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            WarningFilter | None, strawberry.argument(description="Narrow the list.")
        ] = None,
    ) -> WarningConnection:
        ctx = info.context
        asked = window(first, after, last, before, ctx.runtime.settings.max_page_size)
        flt = filter or WarningFilter()
        customer_id = None
        if flt.customer_id is not None:
            customer_id = _decode(flt.customer_id, "Customer", "filter.customerId")
            if customer_id is None:  # an unknown customer simply has no warnings
                return connection(WarningConnection, [], False, 0, asked)
        page = await reads.warnings_page(
            ctx.session,
            status=flt.status.value if flt.status else None,
            min_level=flt.min_level.value if flt.min_level else None,
            customer_id=customer_id,
            kind=flt.kind,
            after=seek_of(asked),
            first=asked.size,
        )
        edges = edges_of(WarningEdge, page.items, Warning.from_row, lambda w: row_cursor(w.id))
        return connection(WarningConnection, edges, page.has_next, page.total, asked)
