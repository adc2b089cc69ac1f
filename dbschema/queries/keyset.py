"""Keyset paging in both directions, from a cursor that holds a row's id only.

The cursor row's sort key is read by the page's own statement (a scalar subquery on the
primary key), so cursors stay short and opaque and a page stays one statement. Backward paging reads
the list in reverse order (size + 1 rows) and turns the page back round.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar
from uuid import UUID

import sqlalchemy as sa

R = TypeVar("R")


def seek(
    keys: Sequence[Any],
    table_keys: Sequence[Any],
    cursor: UUID,
    descending: bool,
    backward: bool,
) -> sa.ColumnElement[bool]:
    """Rows strictly beyond the cursor row in the paging direction. Its sort values are read
    by scalar subqueries on the table's primary key (`table_keys`: the keys as columns of
    the table, the last its id), which PostgreSQL runs once, before the scan, so the row
    comparison still walks the ordering index. An unknown id reads NULL: an empty page."""
    ident = table_keys[-1]
    bound = [
        sa.select(key).where(ident == cursor).correlate(None).scalar_subquery()
        for key in table_keys[:-1]
    ]
    row = sa.tuple_(*keys)
    edge = sa.tuple_(*bound, sa.literal(cursor, ident.type))
    return row > edge if descending == backward else row < edge


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
        query = query.where(seek(keys, table_keys or keys, cursor, descending, backward))
    return query.order_by(*ordered(keys, descending, backward)).limit(size + 1)


def paged_counted(
    counted: sa.Subquery,
    table_keys: Sequence[sa.Column[Any]],
    cursor: UUID | None,
    size: int,
    descending: bool = False,
    backward: bool = False,
) -> sa.Select[Any]:
    """`SELECT * FROM counted` (a filtered subquery carrying its total) paged by the
    subquery's copies of `table_keys` (the last is the id)."""
    keys = [counted.c[key.name] for key in table_keys]
    return paged(sa.select(counted), keys, cursor, size, descending, backward, table_keys)


def arrange(rows: Sequence[R], size: int, backward: bool) -> tuple[list[R], bool]:
    """The page in list order from rows read in paging order, and whether more lie beyond
    it in the paging direction."""
    page = list(rows[:size])
    if backward:
        page.reverse()
    return page, len(rows) > size
