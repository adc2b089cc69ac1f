"""Job reads: a job's status and result."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.tables import jobs
from services.read_session import ReadSession, fetch_all
from services.read_session import rows_as_dicts as _rows


async def job_by_id(session: ReadSession, job_id: UUID) -> dict[str, Any] | None:
    """A job's status and result."""
    query = sa.select(jobs).where(jobs.c.id == job_id)
    rows = _rows(await session.run(lambda c: fetch_all(c, query)))
    return rows[0] if rows else None
