"""Trusted documents: operations registered by the SHA-256 of their text, immutable once stored.

A mobile app ships its operations' hashes; with the production setting on, the API runs only
documents its tenant registered (persisted-query compatible).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from dbschema.integration_tables import DOCUMENT_MAX, NAME_MAX, trusted_documents
from domain.errors import DomainError, ValidationFailed
from services.read_session import ReadSession, select_dicts
from services.uow import UnitOfWork

LIST_LIMIT = 500  #: documents listed at most


@dataclass(frozen=True)
class TrustedDocument:
    """A registered operation document."""

    id: str
    name: str
    body: str
    created_by: str
    created_at: datetime


def document_id(body: str) -> str:
    """The id clients send: `sha256:` and the hex digest of the body's UTF-8 bytes."""
    return "sha256:" + hashlib.sha256(body.encode()).hexdigest()


def normalise_id(raw: str) -> str:
    """Accept `sha256:<hex>` or a bare hex digest (Apollo's persistedQuery.sha256Hash)."""
    value = raw.strip().lower()
    return value if value.startswith("sha256:") else "sha256:" + value


def check(body: str, name: str) -> None:
    """Refuse an empty or oversized document or name, all problems at once."""
    errors = []
    if not body.strip():
        errors.append(DomainError("REQUIRED", "the document is empty", "document"))
    elif len(body) > DOCUMENT_MAX:
        errors.append(DomainError("TOO_LONG", f"at most {DOCUMENT_MAX} characters", "document"))
    if not name.strip():
        errors.append(DomainError("REQUIRED", "a name says what the document is for", "name"))
    elif len(name) > NAME_MAX:
        errors.append(DomainError("TOO_LONG", f"at most {NAME_MAX} characters", "name"))
    if errors:
        raise ValidationFailed(errors)


async def register(uow: UnitOfWork, body: str, name: str) -> tuple[TrustedDocument, bool]:
    """Store a document under its hash; registering the same text again changes nothing.

    Returns the document and whether it was already registered.
    """
    check(body, name)
    ident = document_id(body)
    inserted = await uow.conn.scalar(
        insert(trusted_documents)
        .values(
            tenant_id=uow.tenant_id,
            id=ident,
            name=name.strip(),
            body=body,
            created_by=uow.actor.subject,
        )
        .on_conflict_do_nothing()
        .returning(trusted_documents.c.id)
    )
    row = (
        await uow.conn.execute(sa.select(trusted_documents).where(trusted_documents.c.id == ident))
    ).one()
    return _document(dict(row._mapping)), inserted is None


async def bodies(session: ReadSession, ids: list[str]) -> dict[str, str]:
    """The registered bodies among these ids."""
    query = sa.select(trusted_documents.c.id, trusted_documents.c.body).where(
        trusted_documents.c.id.in_(ids)
    )
    return {r["id"]: r["body"] for r in await select_dicts(session, query)}


async def listing(session: ReadSession) -> list[TrustedDocument]:
    """The tenant's documents, newest first."""
    query = (
        sa.select(trusted_documents)
        .order_by(trusted_documents.c.created_at.desc(), trusted_documents.c.id)
        .limit(LIST_LIMIT)
    )
    return [_document(r) for r in await select_dicts(session, query)]


def _document(row: dict[str, object]) -> TrustedDocument:
    return TrustedDocument(
        id=str(row["id"]),
        name=str(row["name"]),
        body=str(row["body"]),
        created_by=str(row["created_by"]),
        created_at=row["created_at"],  # type: ignore[arg-type]
    )
