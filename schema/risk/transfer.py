"""What the part-B risk schema modules share: percentages as decimal strings, loaders over
service reads, connection types, customers and invoices by raw id, id and date arguments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import strawberry
from graphql import GraphQLError
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from domain.dates import in_range
from schema.context import Context
from schema.customers.types import Customer
from schema.ledger.types import Invoice
from schema.node import load_node
from schema.relay import PageInfo, from_global_id


def percent(value: Decimal) -> str:
    """A percentage as an exact decimal string without trailing zeros (90, 0.35)."""
    return format(value.normalize(), "f")


def loader_of(fn: Any) -> Any:
    def factory(ctx: Context) -> DataLoader[UUID, Any]:
        async def load(ids: list[UUID]) -> list[Any]:
            return await fn(ctx.session, ids)  # type: ignore[no-any-return]

        return DataLoader(load_fn=load)

    return factory


async def customer_of(info: Info[Context, Any], customer_id: UUID) -> Customer | None:
    """A customer by raw id through the registered node loader."""
    found = await load_node(info.context, "Customer", customer_id)
    return found if isinstance(found, Customer) else None


async def invoice_of(info: Info[Context, Any], invoice_id: UUID) -> Invoice | None:
    """An invoice by raw id through the registered node loader."""
    found = await load_node(info.context, "Invoice", invoice_id)
    return found if isinstance(found, Invoice) else None


def edge_types(name: str, node: Any, what: str) -> tuple[Any, Any]:
    edge = strawberry.type(
        type(
            f"{name}Edge",
            (),
            {
                "__annotations__": {"cursor": str, "node": node},
                "cursor": strawberry.field(
                    description="Pass as `after` to continue after this item."
                ),
                "node": strawberry.field(description=f"The {what}."),
            },
        ),
        description=f"One {what} in a page.",
    )
    conn = strawberry.type(
        type(
            f"{name}Connection",
            (),
            {
                "__annotations__": {
                    "edges": list[edge],  # type: ignore[valid-type]
                    "page_info": PageInfo,
                    "total_count": int,
                },
                "edges": strawberry.field(description="The items with their cursors."),
                "page_info": strawberry.field(description="Paging state."),
                "total_count": strawberry.field(description="Items matching, all pages."),
            },
        ),
        description=f"A page of {what}s, newest first.",
    )
    return edge, conn


def raw_id(global_id: str | None, expected: str) -> UUID | None:
    """A raw id (None stays None); a malformed or mistyped one is INVALID_ID."""
    if global_id is None:
        return None
    return from_global_id(global_id, expected)[1]


def as_of_date(value: date | None, today: date) -> date:
    """The as-of date asked, within the platform's range (a client error otherwise)."""
    day = value or today
    if not in_range(day):
        raise GraphQLError(
            "asOf must be from 1900-01-01 to 2199-12-31", extensions={"code": "BAD_USER_INPUT"}
        )
    return day
