"""Keyset pages for the credit lists: newest first by a sort column, ties broken by id."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

import sqlalchemy as sa

from dbschema.queries.keyset import arrange, paged
from services.paging import Seek
from services.read_session import ReadSession

T = TypeVar("T")
MAX_PAGE = 100


@dataclass(frozen=True)
class Page(Generic[T]):
    """A page of items, each with the row id its cursor is made of, and whether more lie beyond
    it in the direction read."""

    items: list[T]
    ids: list[UUID]
    has_next: bool


async def keyset(
    session: ReadSession,
    query: sa.Select[Any],
    sort: sa.Column[Any],
    ident: sa.Column[Any],
    first: int,
    after: Seek | None,
    build: Callable[[dict[str, Any]], T],
) -> Page[T]:
    """One page, newest first, beyond a cursor (a row id, either way)."""
    seek = after or Seek()
    size = min(first, MAX_PAGE)
    query = paged(query, (sort, ident), seek.row_id, size, True, seek.backward)

    async def run(conn: Any) -> list[dict[str, Any]]:
        return [dict(r._mapping) for r in await conn.execute(query)]

    rows, more = arrange(await session.run(run), size, seek.backward)
    return Page(items=[build(r) for r in rows], ids=[r[ident.name] for r in rows], has_next=more)
