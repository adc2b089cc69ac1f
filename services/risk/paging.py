"""Keyset pages of risk-transfer rows, newest first, with the filtered total in one statement,
and rows by id in the order asked (for DataLoaders)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

import sqlalchemy as sa

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
    after: tuple[Any, Any] | None,
    first: int,
    build: Callable[[Any], T],
    order: tuple[str, str] = ("created_at", "id"),
) -> Page[T]:
    """Rows newest first by (`order`), after a keyset cursor (sort value, key)."""
    key, tie = (table.c[name] for name in order)
    counted = (
        sa.select(table, sa.func.count().over().label("total_count")).where(*conditions).subquery()
    )
    query = sa.select(counted)
    if after is not None:
        query = query.where(
            sa.tuple_(counted.c[key.name], counted.c[tie.name])
            < sa.tuple_(sa.literal(after[0], key.type), sa.literal(after[1], tie.type))
        )
    query = query.order_by(counted.c[key.name].desc(), counted.c[tie.name].desc()).limit(first + 1)
    rows = list(await session.run(lambda conn: conn.execute(query)))
    total = int(rows[0].total_count) if rows else 0
    return Page([build(r) for r in rows[:first]], total, len(rows) > first)


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
