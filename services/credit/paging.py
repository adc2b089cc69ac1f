"""Keyset pages for the credit lists: newest first by a sort column, ties broken by id."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

import sqlalchemy as sa

from services.read_session import ReadSession

T = TypeVar("T")
MAX_PAGE = 100


@dataclass(frozen=True)
class Page(Generic[T]):
    """A page of items, each with the sort value its cursor is made of, and whether more follow."""

    items: list[T]
    keys: list[tuple[Any, UUID]]
    has_next: bool


async def keyset(
    session: ReadSession,
    query: sa.Select[Any],
    sort: sa.Column[Any],
    ident: sa.Column[Any],
    first: int,
    after: tuple[Any, UUID] | None,
    build: Callable[[dict[str, Any]], T],
) -> Page[T]:
    """One page, newest first, after a (sort value, id) cursor."""
    if after is not None:
        query = query.where(sa.tuple_(sort, ident) < sa.tuple_(sa.literal(after[0]), after[1]))
    query = query.order_by(sort.desc(), ident.desc()).limit(min(first, MAX_PAGE) + 1)

    async def run(conn: Any) -> list[dict[str, Any]]:
        return [dict(r._mapping) for r in await conn.execute(query)]

    rows = await session.run(run)
    more = len(rows) > first
    rows = rows[:first]
    return Page(
        items=[build(r) for r in rows],
        keys=[(r[sort.name], r[ident.name]) for r in rows],
        has_next=more,
    )
