"""Read entry point for monthly statements."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles
from schema.collections.queries import customer_filter_id
from schema.context import Context
from schema.permissions import allow, roles_note
from schema.statements.types import Statement
from services.statements import reads

READ = roles.READ_RECEIVABLES


@strawberry.type(description="Statement reads.")
class StatementQuery:
    @strawberry.field(
        description="Monthly statements, newest first (at most 200)." + roles_note(READ),
        extensions=allow(READ),
    )
    async def statements(
        self,
        info: Info[Context, Any],
        customer_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="One customer.")
        ] = None,
        period: Annotated[
            date | None, strawberry.argument(description="Any day of the month.")
        ] = None,
    ) -> list[Statement]:
        raw = customer_filter_id(customer_id)
        rows = await reads.statements_list(info.context.session, raw, period)
        return [Statement.from_record(r) for r in rows]
