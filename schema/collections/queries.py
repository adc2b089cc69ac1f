"""Read entry points for collections."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles, texts
from schema.collections.types import Activity, CollectionCase, CollectionTask
from schema.context import Context
from schema.input_rules import text_arg
from schema.permissions import allow, roles_note
from schema.relay import from_global_id
from services.collections import reads as collection_reads

READ = roles.READ_RECEIVABLES


def customer_filter_id(global_id: str | None) -> Any:
    """The customer id a filter names: None for no filter (a malformed one is INVALID_ID)."""
    if global_id is None:
        return None
    return from_global_id(global_id, "Customer", "customerId")[1]


@strawberry.type(description="Collections reads.")
class CollectionQuery:
    @strawberry.field(
        description="Collection cases, most overdue first (at most 200)." + roles_note(READ),
        extensions=allow(READ),
    )
    async def collection_cases(
        self,
        info: Info[Context, Any],
        status: Annotated[str | None, text_arg("OPEN or CLOSED.", texts.CODE)] = "OPEN",
        owner_role: Annotated[str | None, text_arg("Owner role.", texts.CODE)] = None,
        customer_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="One customer.")
        ] = None,
    ) -> list[CollectionCase]:
        raw = customer_filter_id(customer_id)
        rows = await collection_reads.cases(
            info.context.session, status=status, owner_role=owner_role, customer_id=raw
        )
        return [CollectionCase.from_record(r) for r in rows]

    @strawberry.field(
        description="Collection tasks by due date (at most 200)." + roles_note(READ),
        extensions=allow(READ),
    )
    async def collection_tasks(
        self,
        info: Info[Context, Any],
        role: Annotated[str | None, text_arg("Role.", texts.CODE)] = None,
        status: Annotated[str | None, text_arg("OPEN or DONE.", texts.CODE)] = "OPEN",
    ) -> list[CollectionTask]:
        rows = await collection_reads.tasks(info.context.session, role=role, status=status)
        return [CollectionTask.from_record(r) for r in rows]

    @strawberry.field(
        description="A customer's activities, oldest first: the evidence chain." + roles_note(READ),
        extensions=allow(READ),
    )
    async def activities(
        self,
        info: Info[Context, Any],
        customer_id: Annotated[strawberry.ID, strawberry.argument(description="Customer.")],
    ) -> list[Activity]:
        raw = customer_filter_id(customer_id)
        if not raw:
            return []
        rows = await collection_reads.activity_log(info.context.session, raw)
        return [Activity.from_record(r) for r in rows]
