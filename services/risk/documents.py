"""Risk-transfer documents: content frozen when the fact is recorded, each PDF kept as the exact
bytes first rendered (a later request serves the same bytes, never a re-render)."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from dbschema.risk_document_tables import risk_document_pdfs, risk_documents
from dbschema.tables import customers, tenants
from domain.errors import DomainError, NotFound
from services.jobs.catalogue import RENDER_RISK_DOCUMENT, RiskDocumentPdf
from services.jobs.requests import request_job
from services.read_session import ReadSession
from services.tenant.profile import load_in
from services.uow import SYSTEM, UnitOfWork

LANGUAGES = ("zh-CN", "en")


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """A kept document: what it is, whom it concerns, which languages are rendered."""

    id: UUID
    kind: str
    customer_id: UUID
    created_at: datetime
    languages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rendered:
    """A render job's result."""

    document_id: UUID
    lang: str
    size: int
    sha256: str


async def create(uow: UnitOfWork, kind: str, customer_id: UUID, content: dict[str, Any]) -> UUID:
    """Keep a document's content and ask for its PDFs in both languages."""
    document_id: UUID = await uow.conn.scalar(
        risk_documents.insert()
        .values(
            tenant_id=uow.tenant_id,
            kind=kind,
            customer_id=customer_id,
            content=content,
            created_by=uow.actor.subject,
        )
        .returning(risk_documents.c.id)
    )
    for lang in LANGUAGES:
        await request_job(
            uow,
            RENDER_RISK_DOCUMENT,
            RiskDocumentPdf(document_id, lang),
            dedupe_key=f"riskdoc:{document_id}:{lang}",
        )
    return document_id


async def letterhead(uow: UnitOfWork) -> Any:
    """The seller's letterhead from the tenant profile (the tenant's name when it has none)."""
    from documents.risk_transfer import Letterhead, data_uri

    profile = await load_in(uow)
    name = profile.legal_name or await uow.conn.scalar(sa.select(tenants.c.name)) or ""
    return Letterhead(
        legal_name=name,
        address=profile.address,
        phone=profile.phone,
        email=profile.email,
        contact_person=profile.contact_person,
        logo=data_uri(profile.logo.media_type, profile.logo.data) if profile.logo else None,
        seal=data_uri(profile.seal.media_type, profile.seal.data) if profile.seal else None,
        bank_accounts=[asdict(a) for a in profile.bank_accounts],
    )


async def render(uow: UnitOfWork, document_id: UUID, lang: str) -> Rendered:
    """Render and keep one language of a document, unless it is kept already."""
    from documents.risk_transfer import render_risk_pdf

    if lang not in LANGUAGES:
        raise DomainError("INVALID_INPUT", "zh-CN or en", "lang")
    kept = await _kept(uow, document_id, lang)
    if kept is None:
        row = (
            await uow.conn.execute(
                sa.select(risk_documents).where(risk_documents.c.id == document_id)
            )
        ).first()
        if row is None:
            raise NotFound("id", "document")
        head = await letterhead(uow)
        pdf = await asyncio.to_thread(render_risk_pdf, row.kind, row.content, head, lang)
        await uow.conn.execute(
            insert(risk_document_pdfs)
            .values(
                tenant_id=uow.tenant_id,
                document_id=document_id,
                lang=lang,
                pdf=pdf,
                sha256=hashlib.sha256(pdf).hexdigest(),
            )
            .on_conflict_do_nothing()
        )
        kept = await _kept(uow, document_id, lang)
        assert kept is not None
    return Rendered(document_id, lang, len(kept), hashlib.sha256(kept).hexdigest())


async def _kept(uow: UnitOfWork, document_id: UUID, lang: str) -> bytes | None:
    pdf = await uow.conn.scalar(
        sa.select(risk_document_pdfs.c.pdf).where(
            risk_document_pdfs.c.document_id == document_id, risk_document_pdfs.c.lang == lang
        )
    )
    return bytes(pdf) if pdf is not None else None


@dataclass(frozen=True, slots=True)
class KeptPdf:
    """A kept PDF with what its download name shows: the customer's code and the day made."""

    content: bytes
    customer_code: str
    made_on: date


async def document_pdf(
    engine: AsyncEngine, tenant_id: UUID, document_id: UUID, lang: str
) -> KeptPdf | None:
    """The kept PDF (rendered and kept now if its job has not run yet); None if not found."""
    async with UnitOfWork(engine, tenant_id, SYSTEM) as uow:
        kept = await _kept(uow, document_id, lang)
        if kept is None:
            try:
                await render(uow, document_id, lang)
            except NotFound:  # another tenant's document looks like no document at all
                return None
            kept = await _kept(uow, document_id, lang)
        named = (
            await uow.conn.execute(
                sa.select(customers.c.code, risk_documents.c.created_at)
                .select_from(
                    risk_documents.join(
                        customers,
                        sa.and_(
                            customers.c.tenant_id == risk_documents.c.tenant_id,
                            customers.c.id == risk_documents.c.customer_id,
                        ),
                    )
                )
                .where(risk_documents.c.id == document_id)
            )
        ).one()
        zone = ZoneInfo((await load_in(uow)).time_zone)
        await uow.commit()
    assert kept is not None
    return KeptPdf(kept, named.code, named.created_at.astimezone(zone).date())


async def documents_by_ids(session: ReadSession, ids: list[UUID]) -> list[DocumentRecord | None]:
    """Documents in the order asked, None where not found for this tenant."""
    d, p = risk_documents, risk_document_pdfs
    query = (
        sa.select(
            d.c.id,
            d.c.kind,
            d.c.customer_id,
            d.c.created_at,
            sa.func.array_remove(sa.func.array_agg(p.c.lang), None).label("languages"),
        )
        .select_from(
            d.outerjoin(p, sa.and_(p.c.tenant_id == d.c.tenant_id, p.c.document_id == d.c.id))
        )
        .where(d.c.id.in_(ids))
        .group_by(d.c.id, d.c.kind, d.c.customer_id, d.c.created_at)
    )
    rows = await session.run(lambda conn: conn.execute(query))
    found = {
        r.id: DocumentRecord(r.id, r.kind, r.customer_id, r.created_at, tuple(sorted(r.languages)))
        for r in rows
    }
    return [found.get(i) for i in ids]


async def content_of(session: ReadSession, document_id: UUID) -> dict[str, Any] | None:
    """A document's frozen content (for tests and integrators)."""
    query = sa.select(risk_documents.c.content).where(risk_documents.c.id == document_id)
    return await session.run(lambda conn: conn.scalar(query))
