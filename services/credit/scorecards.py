"""Scorecard versions per tenant: drafts are edited, one version is active, activation audited.

A tenant that never configured a scorecard scores with the practice's default, installed as
version 1 the first time anything is scored. Numbering and activation are serialised per
tenant by a transaction-scoped advisory lock, so two racing activations cannot both win.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.credit_analysis_tables import scorecard_versions
from dbschema.queries import audit
from domain.audit import AuditAction
from domain.credit.default_scorecard import DEFAULT_SCORECARD
from domain.credit.scorecard import Scorecard
from domain.credit.scorecard_json import from_json, parse_definition, to_json
from domain.errors import DomainError, NotFound
from services.credit.paging import Page, keyset
from services.paging import Seek
from services.read_session import ReadSession
from services.uow import UnitOfWork

ENTITY = "ScorecardVersion"
DEFAULT_AUTHOR = "system:default-scorecard"
MAX_NOTE = 2000


@dataclass(frozen=True)
class ScorecardVersion:
    """A stored version: its number, status and checked definition."""

    id: UUID
    number: int
    status: str
    card: Scorecard
    note: str | None
    created_at: datetime
    created_by: str
    updated_at: datetime
    activated_at: datetime | None
    activated_by: str | None
    retired_at: datetime | None


def version_of(row: Mapping[Any, Any]) -> ScorecardVersion:
    """A row as the service's result."""
    return ScorecardVersion(
        id=row["id"],
        number=row["number"],
        status=row["status"],
        card=from_json(row["definition"]),
        note=row["note"],
        created_at=row["created_at"],
        created_by=row["created_by"],
        updated_at=row["updated_at"],
        activated_at=row["activated_at"],
        activated_by=row["activated_by"],
        retired_at=row["retired_at"],
    )


def _note(note: str | None) -> str | None:
    text = (note or "").strip() or None
    if text is not None and len(text) > MAX_NOTE:
        raise DomainError("TOO_LONG", f"at most {MAX_NOTE} characters", "note")
    return text


async def _serialise(uow: UnitOfWork) -> None:
    await uow.conn.execute(
        sa.text("SELECT pg_advisory_xact_lock(hashtext('scorecard:' || :tenant))"),
        {"tenant": str(uow.tenant_id)},
    )


async def _locked(uow: UnitOfWork, version_id: UUID) -> dict[str, Any]:
    row = (
        await uow.conn.execute(
            sa.select(scorecard_versions)
            .where(scorecard_versions.c.id == version_id)
            .with_for_update()
        )
    ).first()
    if row is None:
        raise NotFound("id", "scorecard version")
    return dict(row._mapping)


async def _record(
    uow: UnitOfWork, version_id: UUID, verb: AuditAction, changes: dict[str, Any]
) -> None:
    await audit.record(
        uow.conn,
        tenant_id=uow.tenant_id,
        entity_type=ENTITY,
        entity_id=version_id,
        customer_id=None,
        action=verb,
        actor=uow.actor.subject,
        request_id=uow.actor.request_id,
        changes=changes,
    )


async def _insert(
    uow: UnitOfWork, card: Scorecard, note: str | None, status: str, author: str
) -> ScorecardVersion:
    await _serialise(uow)
    number = await uow.conn.scalar(
        sa.select(sa.func.coalesce(sa.func.max(scorecard_versions.c.number), 0) + 1)
    )
    active = status == "ACTIVE"
    row = (
        await uow.conn.execute(
            scorecard_versions.insert()
            .values(
                tenant_id=uow.tenant_id,
                number=number,
                status=status,
                definition=to_json(card),
                note=note,
                created_by=author,
                activated_at=sa.func.now() if active else None,
                activated_by=author if active else None,
            )
            .returning(scorecard_versions)
        )
    ).one()
    return version_of(row._mapping)


async def active_version(conn: AsyncConnection) -> ScorecardVersion | None:
    """The tenant's active version, if it has one."""
    row = (
        await conn.execute(
            sa.select(scorecard_versions).where(scorecard_versions.c.status == "ACTIVE")
        )
    ).first()
    return version_of(row._mapping) if row else None


async def ensure_active(uow: UnitOfWork) -> ScorecardVersion:
    """The active version; the practice's default is installed (and audited) the first time."""
    found = await active_version(uow.conn)
    if found is not None:
        return found
    await _serialise(uow)
    found = await active_version(uow.conn)
    if found is not None:
        return found
    version = await _insert(
        uow, DEFAULT_SCORECARD, "the practice's default", "ACTIVE", DEFAULT_AUTHOR
    )
    await _record(
        uow,
        version.id,
        AuditAction.INSTALL_DEFAULT_SCORECARD,
        {"status": {"before": None, "after": "ACTIVE"}},
    )
    return version


async def create_draft(
    uow: UnitOfWork,
    definition: Mapping[str, Any] | None,
    based_on: UUID | None,
    note: str | None,
) -> ScorecardVersion:
    """A new draft from a definition, or a copy of another version (default: the active one,
    else the practice's default) to edit."""
    text = _note(note)
    if definition is not None:
        card = parse_definition(definition)
    elif based_on is not None:
        row = (
            await uow.conn.execute(
                sa.select(scorecard_versions).where(scorecard_versions.c.id == based_on)
            )
        ).first()
        if row is None:
            raise NotFound("basedOnId", "scorecard version")
        card = version_of(row._mapping).card
    else:
        current = await active_version(uow.conn)
        card = current.card if current is not None else DEFAULT_SCORECARD
    version = await _insert(uow, card, text, "DRAFT", uow.actor.subject)
    await _record(
        uow,
        version.id,
        AuditAction.CREATE_SCORECARD_DRAFT,
        {"status": {"before": None, "after": "DRAFT"}},
    )
    return version


async def update_draft(
    uow: UnitOfWork, version_id: UUID, definition: Mapping[str, Any], note: str | None
) -> ScorecardVersion:
    """Replace a draft's definition; an active or retired version is never edited."""
    row = await _locked(uow, version_id)
    if row["status"] != "DRAFT":
        raise DomainError(
            "VERSION_NOT_DRAFT", f"version {row['number']} is {row['status'].lower()}", "id"
        )
    card = parse_definition(definition)
    stored = to_json(card)
    updated = (
        await uow.conn.execute(
            scorecard_versions.update()
            .where(scorecard_versions.c.id == version_id)
            .values(definition=stored, note=_note(note), updated_at=sa.func.now())
            .returning(scorecard_versions)
        )
    ).one()
    await _record(
        uow,
        version_id,
        AuditAction.UPDATE_SCORECARD_DRAFT,
        {"definition": {"before": row["definition"], "after": stored}},
    )
    return version_of(updated._mapping)


async def activate(uow: UnitOfWork, version_id: UUID) -> ScorecardVersion:
    """Make a draft the active version; the one active before retires. Audited."""
    await _serialise(uow)
    row = await _locked(uow, version_id)
    if row["status"] == "ACTIVE":
        raise DomainError("ALREADY_ACTIVE", f"version {row['number']} is already active", "id")
    if row["status"] != "DRAFT":
        raise DomainError("VERSION_NOT_DRAFT", "only a draft can be activated", "id")
    parse_definition(row["definition"])  # stored drafts were checked; check again, cheaply
    previous = await active_version(uow.conn)
    if previous is not None:
        await uow.conn.execute(
            scorecard_versions.update()
            .where(scorecard_versions.c.id == previous.id)
            .values(status="RETIRED", retired_at=sa.func.now(), updated_at=sa.func.now())
        )
        await _record(
            uow,
            previous.id,
            AuditAction.RETIRE_SCORECARD_VERSION,
            {"status": {"before": "ACTIVE", "after": "RETIRED"}},
        )
    updated = (
        await uow.conn.execute(
            scorecard_versions.update()
            .where(scorecard_versions.c.id == version_id)
            .values(
                status="ACTIVE",
                activated_at=sa.func.now(),
                activated_by=uow.actor.subject,
                updated_at=sa.func.now(),
            )
            .returning(scorecard_versions)
        )
    ).one()
    await _record(
        uow,
        version_id,
        AuditAction.ACTIVATE_SCORECARD_VERSION,
        {
            "status": {"before": "DRAFT", "after": "ACTIVE"},
            "replaces": {"before": None, "after": None if previous is None else previous.number},
        },
    )
    return version_of(updated._mapping)


async def version_by_id(conn: AsyncConnection, version_id: UUID) -> ScorecardVersion | None:
    """One version of the tenant."""
    row = (
        await conn.execute(
            sa.select(scorecard_versions).where(scorecard_versions.c.id == version_id)
        )
    ).first()
    return version_of(row._mapping) if row else None


async def versions_page(
    session: ReadSession, first: int, after: Seek | None
) -> Page[ScorecardVersion]:
    """Versions, newest first."""
    t = scorecard_versions
    return await keyset(session, sa.select(t), t.c.number, t.c.id, first, after, version_of)
