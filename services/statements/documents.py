"""Statement PDFs as kept: rendered once, then served as the stored bytes."""

from __future__ import annotations

from uuid import UUID

import sqlalchemy as sa

from dbschema.collections_tables import statement_documents
from domain.errors import NotFound
from services.statements import monthly as statements
from services.uow import UnitOfWork


async def statement_pdf(uow: UnitOfWork, statement_id: UUID, lang: str) -> bytes | None:
    """The kept PDF; rendered and kept now if the render job has not run yet (the caller
    commits); None when the statement is not the tenant's."""
    pdf = await uow.conn.scalar(
        sa.select(statement_documents.c.pdf).where(
            statement_documents.c.statement_id == statement_id,
            statement_documents.c.lang == lang,
        )
    )
    if pdf is not None:
        return bytes(pdf)
    try:
        return await statements.render_and_keep(uow, statement_id, lang)
    except NotFound:  # another tenant's statement looks like no statement at all
        return None
