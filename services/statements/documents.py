"""Statement PDFs as kept: rendered once, then served as the stored bytes."""

from __future__ import annotations

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from dbschema.ledger_tables import statement_documents
from domain.errors import NotFound
from services.statements import monthly as statements
from services.uow import SYSTEM, UnitOfWork


async def statement_pdf(
    engine: AsyncEngine, tenant_id: UUID, statement_id: UUID, lang: str
) -> bytes | None:
    """The kept PDF; rendered and kept now if the render job has not run yet."""
    async with UnitOfWork(engine, tenant_id, SYSTEM) as uow:
        pdf = await uow.conn.scalar(
            sa.select(statement_documents.c.pdf).where(
                statement_documents.c.statement_id == statement_id,
                statement_documents.c.lang == lang,
            )
        )
        if pdf is not None:
            return bytes(pdf)
        try:
            await statements.render(uow, statement_id, lang)
        except NotFound:  # another tenant's statement looks like no statement at all
            return None
        await uow.commit()
    return await statement_pdf(engine, tenant_id, statement_id, lang)
