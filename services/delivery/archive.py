"""The archive of documents as sent: the exact bytes with their SHA-256, never re-rendered.

A letter re-rendered next month would show next month's figures; what the customer received
is what the evidence chain must show, so every route and export serves these bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from dbschema.delivery_tables import document_numbers, sent_documents
from dbschema.tables import customers
from services.read_session import ReadSession, by_ids
from services.uow import UnitOfWork


@dataclass(frozen=True)
class DocumentIn:
    """A document about to leave the platform, in one language."""

    customer_id: UUID
    kind: str
    number: str | None
    lang: str
    media_type: str
    filename: str
    content: bytes
    as_of: date
    statement_id: UUID | None = None


@dataclass(frozen=True)
class ArchivedDocument:
    """A document as kept: what, for whom, which bytes (and their digest), when."""

    id: UUID
    customer_id: UUID
    kind: str
    number: str | None
    lang: str
    media_type: str
    filename: str
    sha256: str
    size: int
    as_of: date
    statement_id: UUID | None
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class ArchivedFile:
    """An archived document with its bytes, to serve."""

    document: ArchivedDocument
    content: bytes


COLUMNS = (
    sent_documents.c.id,
    sent_documents.c.customer_id,
    sent_documents.c.kind,
    sent_documents.c.number,
    sent_documents.c.lang,
    sent_documents.c.media_type,
    sent_documents.c.filename,
    sent_documents.c.sha256,
    sa.func.octet_length(sent_documents.c.content).label("size"),
    sent_documents.c.as_of,
    sent_documents.c.statement_id,
    sent_documents.c.created_at,
    sent_documents.c.created_by,
)


def _archived(row: Any) -> ArchivedDocument:
    return ArchivedDocument(**{k: row._mapping[k] for k in ArchivedDocument.__dataclass_fields__})


def digest(content: bytes) -> str:
    """The SHA-256 the archive keeps (and the database checks) for a document."""
    return hashlib.sha256(content).hexdigest()


async def next_number(uow: UnitOfWork, series: str, year: int) -> int:
    """The next running number of a series in a year (gapless per committed letter)."""
    table = document_numbers
    number = await uow.conn.scalar(
        insert(table)
        .values(tenant_id=uow.tenant_id, series=series, year=year, last=1)
        .on_conflict_do_update(
            index_elements=[table.c.tenant_id, table.c.series, table.c.year],
            set_={"last": table.c.last + 1},
        )
        .returning(table.c.last)
    )
    return int(number)


async def archive(uow: UnitOfWork, document: DocumentIn) -> ArchivedDocument:
    """Keep a document's bytes as they leave the platform; an identical copy of the same
    statement or letter in the same language is kept once."""
    sha = digest(document.content)
    same = (
        await uow.conn.execute(
            sa.select(*COLUMNS).where(
                sent_documents.c.customer_id == document.customer_id,
                sent_documents.c.kind == document.kind,
                sent_documents.c.lang == document.lang,
                sent_documents.c.sha256 == sha,
            )
        )
    ).first()
    if same is not None:
        return _archived(same)
    row = (
        await uow.conn.execute(
            sent_documents.insert()
            .values(
                tenant_id=uow.tenant_id,
                customer_id=document.customer_id,
                kind=document.kind,
                number=document.number,
                lang=document.lang,
                media_type=document.media_type,
                filename=document.filename,
                content=document.content,
                sha256=sha,
                as_of=document.as_of,
                statement_id=document.statement_id,
                created_by=uow.actor.subject,
            )
            .returning(*COLUMNS)
        )
    ).one()
    return _archived(row)


async def content_in(uow: UnitOfWork, document_id: UUID) -> ArchivedFile | None:
    """An archived document with its bytes, inside a unit of work (a delivery sending it)."""
    query = sa.select(*COLUMNS, sent_documents.c.content).where(sent_documents.c.id == document_id)
    row = (await uow.conn.execute(query)).first()
    return ArchivedFile(_archived(row), bytes(row.content)) if row is not None else None


async def fetch(session: ReadSession, document_id: UUID) -> ArchivedFile | None:
    """An archived document with its bytes; None when it is not the tenant's."""
    query = sa.select(*COLUMNS, sent_documents.c.content).where(sent_documents.c.id == document_id)
    row = (await session.run(lambda conn: conn.execute(query))).first()
    return ArchivedFile(_archived(row), bytes(row.content)) if row is not None else None


async def latest(
    session: ReadSession,
    lang: str,
    *,
    customer_id: UUID | None = None,
    kind: str | None = None,
    statement_id: UUID | None = None,
) -> ArchivedFile | None:
    """The last copy sent of a customer's letter of a kind, or of a statement, in a language."""
    query = sa.select(*COLUMNS, sent_documents.c.content).where(sent_documents.c.lang == lang)
    if customer_id is not None:
        query = query.where(sent_documents.c.customer_id == customer_id)
    if kind is not None:
        query = query.where(sent_documents.c.kind == kind)
    if statement_id is not None:
        query = query.where(sent_documents.c.statement_id == statement_id)
    query = query.order_by(sent_documents.c.created_at.desc()).limit(1)
    row = (await session.run(lambda conn: conn.execute(query))).first()
    return ArchivedFile(_archived(row), bytes(row.content)) if row is not None else None


async def for_customer(session: ReadSession, customer_id: UUID) -> list[ArchivedDocument]:
    """Everything sent to a customer, newest first (without the bytes)."""
    query = (
        sa.select(*COLUMNS)
        .where(sent_documents.c.customer_id == customer_id)
        .order_by(sent_documents.c.created_at.desc())
    )
    rows = await session.run(lambda conn: conn.execute(query))
    return [_archived(r) for r in rows]


async def documents_by_ids(session: ReadSession, ids: list[UUID]) -> list[ArchivedDocument | None]:
    """Archived documents (without their bytes) in the order asked (for `node`), None where
    the tenant has none."""
    return await by_ids(session, sa.select(*COLUMNS), sent_documents.c.id, ids, _archived)


async def customer_code_in(uow: UnitOfWork, customer_id: UUID) -> str | None:
    """The customer's code, for file names."""
    code = await uow.conn.scalar(sa.select(customers.c.code).where(customers.c.id == customer_id))
    return str(code) if code is not None else None
