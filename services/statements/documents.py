"""Statement PDFs: the copy sent (archived) when there is one, else the kept render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import sqlalchemy as sa

from dbschema.collections_tables import statement_documents, statements
from dbschema.delivery_tables import sent_documents
from dbschema.tables import customers
from domain.errors import NotFound
from services.delivery.letterhead import file_name
from services.statements import monthly
from services.statements.printed import with_customer
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
        return await monthly.render_and_keep(uow, statement_id, lang)
    except NotFound:  # another tenant's statement looks like no statement at all
        return None


@dataclass(frozen=True)
class StatementFile:
    """A statement's PDF to serve, named with the customer's code and the period's end."""

    content: bytes
    filename: str


async def sent_or_kept_pdf(uow: UnitOfWork, statement_id: UUID, lang: str) -> StatementFile | None:
    """What the customer received, when the statement went out in this language; else the
    kept render. Never a fresh rendering of a sent statement; None when not the tenant's."""
    named = await with_customer(uow, statement_id, customers.c.code, statements.c.content)
    if named is None:
        return None
    filename = file_name(
        "statement", named.code, date.fromisoformat(named.content["to"]), lang, "pdf"
    )
    sent = await uow.conn.scalar(
        sa.select(sent_documents.c.content)
        .where(sent_documents.c.statement_id == statement_id, sent_documents.c.lang == lang)
        .order_by(sent_documents.c.created_at.desc())
        .limit(1)
    )
    if sent is not None:
        return StatementFile(bytes(sent), filename)
    pdf = await statement_pdf(uow, statement_id, lang)
    return StatementFile(pdf, filename) if pdf is not None else None
