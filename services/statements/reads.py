"""Statement reads for the API."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.ledger_tables import statements
from services.collections.reads import LIST_LIMIT
from services.read_session import ReadSession, select_dicts


async def statements_list(
    session: ReadSession, customer_id: UUID | None, period: Any | None
) -> list[dict[str, Any]]:
    """Statements, newest period first."""
    query = (
        sa.select(statements)
        .order_by(statements.c.period.desc(), statements.c.customer_id)
        .limit(LIST_LIMIT)
    )
    if customer_id is not None:
        query = query.where(statements.c.customer_id == customer_id)
    if period is not None:
        query = query.where(statements.c.period == period.replace(day=1))
    return await select_dicts(session, query)
