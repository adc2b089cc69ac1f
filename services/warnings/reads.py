"""Warning reads for the API: pages, lookups by id, a customer's open warnings."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dbschema.queries import warnings as q
from services.read_session import ReadSession
from services.warnings.records import WarningPage, WarningRecord, warning_of
from services.warnings.signals import LEVELS


async def warnings_page(
    session: ReadSession,
    *,
    status: str | None,
    min_level: str | None,
    customer_id: UUID | None,
    kind: str | None,
    after: tuple[Any, UUID] | None,
    first: int,
) -> WarningPage:
    """Warnings newest first, keyset-paginated, with the filtered total."""
    levels = LEVELS[LEVELS.index(min_level) :] if min_level else None
    rows = await session.run(
        lambda c: q.page(
            c,
            status=status,
            levels=levels,
            customer_id=customer_id,
            kind=kind,
            after=after,
            first=first,
        )
    )
    total = int(rows[0].total_count) if rows else 0
    return WarningPage([warning_of(r) for r in rows[:first]], total, len(rows) > first)


async def warnings_by_ids(session: ReadSession, ids: list[UUID]) -> list[WarningRecord | None]:
    """Warnings in the order asked, None where not found for this tenant."""
    found = {r.id: warning_of(r) for r in await session.run(lambda c: q.by_ids(c, ids))}
    return [found.get(i) for i in ids]


async def open_for_customer(session: ReadSession, customer_id: UUID) -> list[WarningRecord]:
    """A customer's open warnings, newest first."""
    return [warning_of(r) for r in await session.run(lambda c: q.open_for_customer(c, customer_id))]
