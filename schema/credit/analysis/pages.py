"""Relay connections from the credit services' keyset pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from schema.relay import Window, connection, edges_of, from_global_id, row_cursor, window
from services.credit.paging import MAX_PAGE, Page

C = TypeVar("C")
T = TypeVar("T")


def customer_uuid(global_id: str) -> Any:
    """A Customer global id's UUID; a malformed or mistyped one is INVALID_ID."""
    return from_global_id(global_id, "Customer")[1]


def paging(first: int | None, after: str | None, last: int | None, before: str | None) -> Window:
    """The paging arguments checked."""
    return window(first, after, last, before, MAX_PAGE)


def page_of(
    conn: Callable[..., C],
    edge: Callable[..., Any],
    page: Page[T],
    node: Callable[[T], Any],
    asked: Window,
) -> C:
    """A connection of a service page (its cursors are the row id of each item)."""
    pairs = list(zip(page.items, page.ids, strict=True))
    edges = edges_of(edge, pairs, lambda pair: node(pair[0]), lambda pair: row_cursor(pair[1]))
    return connection(conn, edges, page.has_next, None, asked)


def empty(conn: Callable[..., C], asked: Window) -> C:
    """A connection with nothing in it (an unknown customer)."""
    return connection(conn, [], False, None, asked)
