"""Relay plumbing: opaque global ids, cursors and page info."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

import strawberry
from graphql import GraphQLError

from domain.errors import DomainError

C = TypeVar("C")
E = TypeVar("E")
R = TypeVar("R")


@strawberry.interface(description="An object with a globally unique, opaque id.")
class Node:
    id: strawberry.ID = strawberry.field(description="Opaque global id; pass it to `node`.")


@strawberry.type(description="Where a page sits in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last item, for `after`.")


def to_global_id(type_name: str, raw: UUID) -> strawberry.ID:
    """Opaque id: base64 of `Type:uuid`."""
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:{raw}".encode()).decode())


def from_global_id(
    global_id: str, expected: str | None = None, field: str = "id"
) -> tuple[str, UUID]:
    """Decode a global id; a malformed or wrong-typed id is a NOT_FOUND like any other."""
    try:
        decoded = base64.urlsafe_b64decode(global_id.encode() + b"==").decode()
        type_name, raw = decoded.split(":", 1)
        value = UUID(raw)
    except (ValueError, UnicodeDecodeError):
        raise DomainError("NOT_FOUND", "no object with that id", field) from None
    if expected is not None and type_name != expected:
        raise DomainError("NOT_FOUND", f"no {expected} with that id", field)
    return type_name, value


def encode_cursor(value: Any, row_id: UUID) -> str:
    """Keyset cursor: the sort value and the id of the last row."""
    if isinstance(value, datetime | date):
        value = {"t": value.isoformat(), "dt": isinstance(value, datetime)}
    return base64.urlsafe_b64encode(json.dumps([value, str(row_id)]).encode()).decode()


def decode_cursor(cursor: str) -> tuple[Any, UUID]:
    """Inverse of encode_cursor; a malformed cursor is a client error."""
    try:
        value, raw = json.loads(base64.urlsafe_b64decode(cursor.encode() + b"=="))
        if isinstance(value, dict):
            value = (
                datetime.fromisoformat(value["t"])
                if value["dt"]
                else date.fromisoformat(value["t"])
            )
        return value, UUID(raw)
    except (ValueError, TypeError, KeyError):
        raise GraphQLError("Malformed cursor", extensions={"code": "BAD_USER_INPUT"}) from None


def page_size(first: int | None, maximum: int, default: int = 20) -> int:
    """Validate `first`: 1..maximum, or a coded error."""
    size = default if first is None else first
    if size < 1 or size > maximum:
        raise GraphQLError(
            f"`first` must be between 1 and {maximum}", extensions={"code": "PAGE_SIZE_EXCEEDED"}
        )
    return size


def edges_of(
    edge: Callable[..., E], items: Sequence[R], node: Callable[[R], Any], cursor: Callable[[R], str]
) -> list[E]:
    """Edges for a page of items: each item's node and its cursor."""
    return [edge(cursor=cursor(item), node=node(item)) for item in items]


def connection(
    conn: Callable[..., C], edges: Sequence[Any], has_next: bool, total: int | None = None
) -> C:
    """A connection over a page of edges; `total` only where the type counts (cheaply)."""
    info = PageInfo(has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None)
    if total is None:
        return conn(edges=list(edges), page_info=info)
    return conn(edges=list(edges), page_info=info, total_count=total)
