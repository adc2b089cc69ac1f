"""Relay connections from the credit services' keyset pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from schema.relay import (
    connection,
    decode_cursor,
    edges_of,
    encode_cursor,
    from_global_id,
    page_size,
)
from services.credit.paging import MAX_PAGE, Page

C = TypeVar("C")
T = TypeVar("T")
FIRST_NOTE = f"Page size, 1-{MAX_PAGE}."
AFTER_NOTE = "Cursor of the last item of the previous page."


def customer_uuid(global_id: str) -> Any:
    """A Customer global id's UUID; a malformed or mistyped one is INVALID_ID."""
    return from_global_id(global_id, "Customer")[1]


def paging(first: int | None, after: str | None) -> tuple[int, tuple[Any, Any] | None]:
    """Checked page size and decoded cursor."""
    return page_size(first, MAX_PAGE), (decode_cursor(after) if after else None)


def page_of(
    conn: Callable[..., C], edge: Callable[..., Any], page: Page[T], node: Callable[[T], Any]
) -> C:
    """A connection of a service page (its cursors are the sort value and id of each item)."""
    pairs = list(zip(page.items, page.keys, strict=True))
    edges = edges_of(edge, pairs, lambda pair: node(pair[0]), lambda pair: encode_cursor(*pair[1]))
    return connection(conn, edges, page.has_next)


def empty(conn: Callable[..., C]) -> C:
    """A connection with nothing in it (an unknown customer)."""
    return connection(conn, [], False)
