"""Warning reads for the API: pages, lookups by id, a customer's open warnings."""

from __future__ import annotations

from uuid import UUID

from dbschema.queries import keyset
from dbschema.queries import warning_responses as rq
from dbschema.queries import warnings as q
from services.paging import Seek
from services.read_session import ReadSession
from services.warnings.records import (
    ResponseRecord,
    WarningPage,
    WarningRecord,
    response_of,
    warning_of,
)
from services.warnings.signals import LEVELS


async def warnings_page(
    session: ReadSession,
    *,
    status: str | None,
    min_level: str | None,
    customer_id: UUID | None,
    kind: str | None,
    after: Seek | None,
    first: int,
) -> WarningPage:
    """Warnings newest first, keyset-paginated (either way), with the filtered total."""
    seek = after or Seek()
    levels = LEVELS[LEVELS.index(min_level) :] if min_level else None
    rows = await session.run(
        lambda c: q.page(
            c,
            status=status,
            levels=levels,
            customer_id=customer_id,
            kind=kind,
            after=seek.row_id,
            first=first,
            backward=seek.backward,
        )
    )
    page, more = keyset.arrange(rows, first, seek.backward)
    total = int(page[0].total_count) if page else 0
    return WarningPage([warning_of(r) for r in page], total, more)


async def warnings_by_ids(session: ReadSession, ids: list[UUID]) -> list[WarningRecord | None]:
    """Warnings in the order asked, None where not found for this tenant."""
    found = {r.id: warning_of(r) for r in await session.run(lambda c: q.by_ids(c, ids))}
    return [found.get(i) for i in ids]


async def open_for_customer(session: ReadSession, customer_id: UUID) -> list[WarningRecord]:
    """A customer's open warnings, newest first."""
    return [warning_of(r) for r in await session.run(lambda c: q.open_for_customer(c, customer_id))]


async def responses_by_ids(session: ReadSession, ids: list[UUID]) -> list[ResponseRecord | None]:
    """Responses in the order asked (for `node`), None where not found for this tenant."""
    found = {r.id: response_of(r) for r in await session.run(lambda c: rq.by_ids(c, ids))}
    return [found.get(i) for i in ids]
