"""Keyset pages of risk-transfer rows, newest first, with the filtered total in one statement,
and rows by id in the order asked (for DataLoaders)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

import sqlalchemy as sa

from dbschema.queries import keyset
from services.paging import Seek
from services.read_session import ReadSession

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """A page: the records, the filtered total, whether more follow."""

    items: list[T]
    total: int
    has_next: bool


async def page_of(
    session: ReadSession,
    table: sa.Table,
    conditions: Sequence[sa.ColumnElement[bool]],
    after: Seek | None,
    first: int,
    build: Callable[[Any], T],
    order: tuple[str, str] = ("created_at", "id"),
) -> Page[T]:
    """Rows newest first by (`order`), beyond a keyset cursor (a row id, either way)."""
    seek = after or Seek()
    table_keys = [table.c[name] for name in order]
    counted = (
        sa.select(table, sa.func.count().over().label("total_count")).where(*conditions).subquery()
    )
    query = keyset.paged_counted(counted, table_keys, seek.row_id, first, True, seek.backward)
    rows, more = keyset.arrange(
        list(await session.run(lambda conn: conn.execute(query))), first, seek.backward
    )
    total = int(rows[0].total_count) if rows else 0
    return Page([build(r) for r in rows], total, more)


async def by_ids(
    session: ReadSession, table: sa.Table, ids: list[UUID], build: Callable[[Any], T]
) -> list[T | None]:
    """Records in the order asked, None where not found for this tenant."""
    query = sa.select(table).where(table.c.id.in_(ids))
    found = {r.id: build(r) for r in await session.run(lambda conn: conn.execute(query))}
    return [found.get(i) for i in ids]


async def children(
    session: ReadSession,
    query: sa.Select[Any],
    parent: str,
    ids: list[UUID],
    build: Callable[[Any], T],
) -> list[list[T]]:
    """Each parent's child records (the query orders them), in the order asked."""
    grouped: dict[UUID, list[T]] = {i: [] for i in ids}
    for row in await session.run(lambda conn: conn.execute(query)):
        grouped[getattr(row, parent)].append(build(row))
    return [grouped[i] for i in ids]
