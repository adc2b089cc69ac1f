"""The Relay `node` field and `viewer`: reads that span every capability.

`node` knows no capability: each declares its node types next to the types themselves
(`register_node`), so a new capability adds its objects to `node` from its own package.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar
from uuid import UUID

import strawberry
from graphql import GraphQLError
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from domain import roles
from schema.context import Context
from schema.permissions import allow, roles_note
from schema.relay import Node, from_global_id
from services.read_session import ReadSession

READ = roles.READ_CUSTOMERS
V = TypeVar("V")


@dataclass(frozen=True)
class NodeType:
    """How `node` finds objects of one type: a request's DataLoader of records by raw id
    (under its name on the context, so other fields share its cache), the constructor of
    the GraphQL object from a record, and the roles that may read the type (those of the
    fields that list it), so `node` shows no one what those fields would refuse them."""

    loader_name: str
    loader: Callable[[Context], DataLoader[UUID, Any]]
    build: Callable[[Any], Node]
    readers: frozenset[str]


#: Global-id type name -> how to load it; filled by the capabilities' type modules.
NODE_TYPES: dict[str, NodeType] = {}


def register_node(
    type_name: str,
    loader_name: str,
    loader: Callable[[Context], DataLoader[UUID, Any]],
    build: Callable[[Any], Node],
    *,
    readers: frozenset[str],
) -> None:
    """Declare that `node` resolves global ids of `type_name` for callers holding one of
    `readers` (once per type)."""
    kind = NodeType(loader_name, loader, build, readers)
    if NODE_TYPES.setdefault(type_name, kind) != kind:
        raise ValueError(f"node type {type_name!r} is registered twice")


def by_ids(
    read: Callable[[ReadSession, list[UUID]], Awaitable[Sequence[V | None]]],
) -> Callable[[Context], DataLoader[UUID, V | None]]:
    """A loader factory over a service's by-ids read (one statement per batch, in the order
    asked, None where the caller's tenant has no such row)."""

    def factory(ctx: Context) -> DataLoader[UUID, V | None]:
        async def load(ids: list[UUID]) -> list[V | None]:
            return list(await read(ctx.session, ids))

        return DataLoader(load_fn=load)

    return factory


async def load_node(ctx: Context, type_name: str, raw: UUID) -> Node | None:
    """The object of a type and raw id, or None when no such object is the caller's."""
    kind = NODE_TYPES.get(type_name)
    if kind is None:
        return None
    record = await ctx.loader(kind.loader_name, kind.loader).load(raw)
    return None if record is None else kind.build(record)


@strawberry.type(description="Who the token says you are.")
class Viewer:
    subject: str = strawberry.field(description="Token subject.")
    tenant: str = strawberry.field(description="Tenant slug.")
    roles: list[str] = strawberry.field(description="Roles granted by the token.")


@strawberry.type(description="Who is calling.")
class ViewerQuery:
    @strawberry.field(
        description="The caller as the token describes it." + roles_note(READ),
        extensions=allow(READ),
    )
    def viewer(self, info: Info[Context, Any]) -> Viewer:
        p = info.context.principal
        assert p is not None
        return Viewer(subject=p.subject, tenant=p.tenant_slug, roles=sorted(p.roles))


@strawberry.type(description="Any object by its global id.")
class NodeQuery:
    @strawberry.field(
        description="Any object by global id; null when not found. A type is shown only to "
        "the roles its own fields allow (FORBIDDEN otherwise)." + roles_note(READ),
        extensions=allow(READ),
    )
    async def node(
        self,
        info: Info[Context, Any],
        id: Annotated[strawberry.ID, strawberry.argument(description="Global id.")],
    ) -> Node | None:
        type_name, raw = from_global_id(id)
        kind = NODE_TYPES.get(type_name)
        principal = info.context.principal
        if kind is not None and not (principal is not None and principal.roles & kind.readers):
            raise GraphQLError(
                f"Your roles do not allow reading a {type_name}", extensions={"code": "FORBIDDEN"}
            )
        return await load_node(info.context, type_name, raw)
