"""Reads of scores, class history and overrides, page by page, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.credit_analysis_tables import (
    class_overrides,
    credit_class_history,
    credit_scores,
    scorecard_versions,
)
from services.credit.overrides import Override, override_of
from services.credit.paging import Page, keyset
from services.credit.scorecards import ScorecardVersion, version_of
from services.credit.scoring import StoredScore, stored_score
from services.paging import Seek
from services.read_session import ReadSession, by_ids


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a customer's class."""

    id: UUID
    customer_id: UUID
    from_class: str | None
    to_class: str
    direction: str
    source: str
    reason: str
    score_id: UUID | None
    override_id: UUID | None
    proposed_terms: dict[str, Any]
    created_at: datetime
    created_by: str


def history_entry(row: dict[str, Any]) -> HistoryEntry:
    """A row as the read result."""
    return HistoryEntry(
        id=row["id"],
        customer_id=row["customer_id"],
        from_class=(row["from_class"] or "").strip() or None,
        to_class=row["to_class"].strip(),
        direction=row["direction"],
        source=row["source"],
        reason=row["reason"],
        score_id=row["score_id"],
        override_id=row["override_id"],
        proposed_terms=row["proposed_terms"],
        created_at=row["created_at"],
        created_by=row["created_by"],
    )


async def scores_page(
    session: ReadSession, customer_id: UUID, first: int, after: Seek | None
) -> Page[StoredScore]:
    """A customer's scores, newest first."""
    t = credit_scores
    query = sa.select(t).where(t.c.customer_id == customer_id)
    return await keyset(session, query, t.c.seq, t.c.id, first, after, stored_score)


async def history_page(
    session: ReadSession, customer_id: UUID, first: int, after: Seek | None
) -> Page[HistoryEntry]:
    """A customer's class changes, newest first."""
    t = credit_class_history
    query = sa.select(t).where(t.c.customer_id == customer_id)
    return await keyset(session, query, t.c.seq, t.c.id, first, after, history_entry)


async def overrides_page(
    session: ReadSession,
    customer_id: UUID | None,
    status: str | None,
    first: int,
    after: Seek | None,
) -> Page[Override]:
    """Overrides, newest request first; of one customer or status, or all."""
    t = class_overrides
    query = sa.select(t)
    if customer_id is not None:
        query = query.where(t.c.customer_id == customer_id)
    if status is not None:
        query = query.where(t.c.status == status)
    return await keyset(session, query, t.c.requested_at, t.c.id, first, after, override_of)


async def versions_by_ids(session: ReadSession, ids: list[UUID]) -> list[ScorecardVersion | None]:
    """Versions by id, in order (for a loader)."""

    async def run(conn: AsyncConnection) -> list[ScorecardVersion | None]:
        rows = await conn.execute(
            sa.select(scorecard_versions).where(scorecard_versions.c.id.in_(set(ids)))
        )
        found = {r.id: version_of(r._mapping) for r in rows}
        return [found.get(i) for i in ids]

    return await session.run(run)


async def scores_by_ids(session: ReadSession, ids: list[UUID]) -> list[StoredScore | None]:
    """Scores in the order asked (for `node`), None where the tenant has none."""
    t = credit_scores
    return await by_ids(
        session, sa.select(t), t.c.id, ids, lambda r: stored_score(dict(r._mapping))
    )


async def overrides_by_ids(session: ReadSession, ids: list[UUID]) -> list[Override | None]:
    """Class overrides in the order asked (for `node`), None where the tenant has none."""
    t = class_overrides
    return await by_ids(session, sa.select(t), t.c.id, ids, override_of)
