"""Warning reads for the API: pages and lookups by id."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.tables import warnings
from services.read_session import ReadSession, fetch_all
from services.read_session import rows_as_dicts as _rows


async def warnings_page(
    session: ReadSession,
    *,
    status: str | None,
    min_level: str | None,
    customer_id: UUID | None,
    kind: str | None,
    after: tuple[Any, UUID] | None,
    first: int,
) -> tuple[list[dict[str, Any]], int, bool]:
    """Warnings newest first, keyset-paginated, with the filtered total."""
    from services.warnings.signals import LEVELS

    conds: list[sa.ColumnElement[bool]] = []
    if status:
        conds.append(warnings.c.status == status)
    if min_level:
        conds.append(warnings.c.level.in_(LEVELS[LEVELS.index(min_level) :]))
    if customer_id:
        conds.append(warnings.c.customer_id == customer_id)
    if kind:
        conds.append(warnings.c.kind == kind)
    counted = (
        sa.select(warnings, sa.func.count().over().label("total_count")).where(*conds).subquery()
    )
    query = sa.select(counted)
    if after is not None:
        query = query.where(
            sa.tuple_(counted.c.raised_at, counted.c.id)
            < sa.tuple_(sa.literal(after[0], warnings.c.raised_at.type), sa.literal(after[1]))
        )
    query = query.order_by(counted.c.raised_at.desc(), counted.c.id.desc()).limit(first + 1)
    items = _rows(await session.run(lambda c: fetch_all(c, query)))
    total = items[0]["total_count"] if items else 0
    return items[:first], total, len(items) > first


async def warnings_by_ids(session: ReadSession, ids: list[UUID]) -> list[dict[str, Any] | None]:
    """Warnings in the order asked."""
    query = sa.select(warnings).where(warnings.c.id.in_(ids))
    found = {r["id"]: r for r in _rows(await session.run(lambda c: fetch_all(c, query)))}
    return [found.get(i) for i in ids]
