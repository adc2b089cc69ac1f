"""Keyset paging in both directions, from a cursor that holds a row's id only.

The cursor row's sort key is read by the page's own statement (a row subquery on the primary
key), so cursors stay short and opaque and a page stays one statement. Backward paging reads
the list in reverse order (size + 1 rows) and turns the page back round.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar
from uuid import UUID

import sqlalchemy as sa

R = TypeVar("R")


def seek(
    keys: Sequence[sa.ColumnElement[Any]],
    lookup: sa.Select[Any],
    descending: bool,
    backward: bool,
) -> sa.ColumnElement[bool]:
    """Rows strictly beyond the cursor row in the paging direction; `lookup` selects the
    cursor row's `keys` (an unknown id selects nothing, and the page is then empty)."""
    row = sa.tuple_(*keys)
    bound = lookup.correlate(None).scalar_subquery()
    return row > bound if descending == backward else row < bound


def lookup_of(keys: Sequence[Any], cursor: UUID) -> sa.Select[Any]:
    """The cursor row's keys by its id, the last key (whatever filters the list has: a row
    that left them since still marks its place)."""
    return sa.select(*keys).where(keys[-1] == cursor)


def ordered(keys: Sequence[Any], descending: bool, backward: bool) -> list[Any]:
    """ORDER BY terms for the paging direction (the list's order, reversed when backward)."""
    return [key.desc() if descending != backward else key.asc() for key in keys]


def paged(
    query: sa.Select[Any],
    keys: Sequence[Any],
    cursor: UUID | None,
    size: int,
    descending: bool = False,
    backward: bool = False,
    table_keys: Sequence[Any] | None = None,
) -> sa.Select[Any]:
    """`query` narrowed to the size + 1 rows beyond `cursor` in the paging direction. `keys`
    end with the row id; `table_keys` are the same columns on the table, when `keys` are a
    subquery's (the cursor row is looked up on the table, not through the subquery)."""
    if cursor is not None:
        lookup = lookup_of(table_keys or keys, cursor)
        query = query.where(seek(keys, lookup, descending, backward))
    return query.order_by(*ordered(keys, descending, backward)).limit(size + 1)


def arrange(rows: Sequence[R], size: int, backward: bool) -> tuple[list[R], bool]:
    """The page in list order from rows read in paging order, and whether more lie beyond
    it in the paging direction."""
    page = list(rows[:size])
    if backward:
        page.reverse()
    return page, len(rows) > size
