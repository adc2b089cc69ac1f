"""The dossier: partners, dated timeline entries, reviews; and its completeness facts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.queries import audit
from dbschema.queries import customers as q
from dbschema.tables import credit_file_entries, customer_relations, tenants, warnings
from domain.audit import AuditAction
from domain.credit_file import (
    DEFAULT_REVIEW_INTERVAL_DAYS,
    CreditFileFacts,
    DocumentKind,
    RelationKind,
    RequiredItem,
    parse_policy,
)
from domain.errors import DomainError, NotFound, ValidationFailed
from services.customers.master_data import _locked, save
from services.uow import UnitOfWork


def facts_from(
    present: Sequence[str],
    partner_count: int,
    kinds: Sequence[str] | None,
    dates: Sequence[date] | None,
) -> CreditFileFacts:
    """What the dossier holds, for the pure completeness rule (newest date per entry kind)."""
    filled = frozenset((*present, "partners") if partner_count else present)
    return CreditFileFacts(filled, dict(zip(kinds, dates, strict=True)) if kinds and dates else {})


async def facts_for(
    conn: AsyncConnection, customers: list[dict[str, Any]]
) -> dict[UUID, CreditFileFacts]:
    """Facts for many customers with one query."""
    return (await dossier_facts(conn, customers, with_partners=False))[0]


#: A partner link as partner views read it (see RELATIONS_FOR for the same from rows).
PARTNER_KEYS = ("id", "kind", "note", "related_customer_id", "related_code", "related_name")


async def dossier_facts(
    conn: AsyncConnection, customers: list[dict[str, Any]], with_partners: bool
) -> tuple[dict[UUID, CreditFileFacts], dict[str, Any], dict[UUID, list[dict[str, Any]]]]:
    """Facts, the tenant's settings and (when asked) each customer's partner links, all in one
    statement: a page's dossier costs one round trip."""
    rows = await q.credit_file_facts(conn, [c["id"] for c in customers], with_partners)
    settings: dict[str, Any] | None = None
    by_id: dict[UUID, CreditFileFacts] = {}
    partners: dict[UUID, list[dict[str, Any]]] = {}
    # unpacked in the statement's column order: a Row's attribute access costs ~1 us each
    for customer_id, present, partner_count, kinds, dates, tenant_settings, *links in rows:
        by_id[customer_id] = facts_from(present, partner_count, kinds, dates)
        if tenant_settings is not None:
            settings = tenant_settings
        if with_partners:
            partners[customer_id] = (
                [dict(zip(PARTNER_KEYS, link, strict=True)) for link in zip(*links, strict=True)]
                if links[0]
                else []
            )
    facts = {c["id"]: by_id[c["id"]] for c in customers}
    return facts, settings or {}, partners


def policy_from(settings: dict[str, Any]) -> tuple[tuple[RequiredItem, ...], int]:
    """The completeness policy and review interval in a tenant's settings."""
    policy = parse_policy(settings.get("creditFilePolicy"))
    interval = int(settings.get("reviewIntervalDays", DEFAULT_REVIEW_INTERVAL_DAYS))
    return policy, interval


async def tenant_policy(conn: AsyncConnection) -> tuple[tuple[RequiredItem, ...], int]:
    """The tenant's completeness policy and review interval (defaults from the practice)."""
    settings = await conn.scalar(sa.select(tenants.c.settings)) or {}
    return policy_from(settings)


async def add_entry(
    uow: UnitOfWork,
    customer_id: UUID,
    occurred_on: date,
    kind: str,
    title: str,
    body: str | None,
    document_ref: str | None,
    today: date,
) -> dict[str, Any]:
    """Append a dated note or document to the timeline (entries are never edited)."""
    errors = []
    if kind not in DocumentKind.__members__:
        errors.append(DomainError("INVALID_KIND", f"unknown entry kind {kind!r}", "kind"))
    if not title.strip():
        errors.append(DomainError("REQUIRED", "must not be blank", "title"))
    if occurred_on > today:
        errors.append(DomainError("FUTURE_DATE", "cannot be in the future", "occurredOn"))
    if errors:
        raise ValidationFailed(errors)
    await _locked(uow, customer_id, None)
    row = (
        await uow.conn.execute(
            credit_file_entries.insert()
            .values(
                tenant_id=uow.tenant_id,
                customer_id=customer_id,
                occurred_on=occurred_on,
                kind=kind,
                title=title.strip(),
                body=body,
                document_ref=document_ref,
                created_by=uow.actor.subject,
            )
            .returning(credit_file_entries)
        )
    ).one()
    await audit.record(
        uow.conn,
        tenant_id=uow.tenant_id,
        entity_type="CreditFileEntry",
        entity_id=row.id,
        customer_id=customer_id,
        action=AuditAction.ADD_CREDIT_FILE_ENTRY,
        actor=uow.actor.subject,
        request_id=uow.actor.request_id,
        changes={
            "entry": {
                "before": None,
                "after": {
                    "kind": kind,
                    "title": title.strip(),
                    "occurredOn": occurred_on.isoformat(),
                },
            }
        },
    )
    return dict(row._mapping)


async def link_partner(
    uow: UnitOfWork, customer_id: UUID, related_id: UUID, kind: str, note: str | None
) -> dict[str, Any]:
    """Link a related party (both must be this tenant's customers)."""
    if kind not in RelationKind.__members__:
        raise DomainError("INVALID_KIND", f"unknown relation kind {kind!r}", "kind")
    if customer_id == related_id:
        raise DomainError("SELF_RELATION", "a customer cannot be its own partner", "relatedId")
    await _locked(uow, customer_id, None)
    if not await q.by_ids(uow.conn, [related_id]):
        raise NotFound("relatedId", "customer")
    exists = await uow.conn.scalar(
        sa.select(customer_relations.c.id).where(
            customer_relations.c.customer_id == customer_id,
            customer_relations.c.related_customer_id == related_id,
            customer_relations.c.kind == kind,
        )
    )
    if exists:
        raise DomainError("DUPLICATE_RELATION", "this link already exists", "relatedId")
    row = (
        await uow.conn.execute(
            customer_relations.insert()
            .values(
                tenant_id=uow.tenant_id,
                customer_id=customer_id,
                related_customer_id=related_id,
                kind=kind,
                note=note,
            )
            .returning(customer_relations)
        )
    ).one()
    await audit.record(
        uow.conn,
        tenant_id=uow.tenant_id,
        entity_type="CustomerRelation",
        entity_id=row.id,
        customer_id=customer_id,
        action=AuditAction.LINK_PARTNER,
        actor=uow.actor.subject,
        request_id=uow.actor.request_id,
        changes={
            "partner": {"before": None, "after": {"relatedId": str(related_id), "kind": kind}}
        },
    )
    return dict(row._mapping)


async def unlink_partner(uow: UnitOfWork, relation_id: UUID) -> UUID:
    """Remove a partner link; the audit trail keeps what it was."""
    row = (
        await uow.conn.execute(
            customer_relations.delete()
            .where(customer_relations.c.id == relation_id)
            .returning(customer_relations)
        )
    ).first()
    if row is None:
        raise NotFound("id", "partner link")
    await audit.record(
        uow.conn,
        tenant_id=uow.tenant_id,
        entity_type="CustomerRelation",
        entity_id=row.id,
        customer_id=row.customer_id,
        action=AuditAction.UNLINK_PARTNER,
        actor=uow.actor.subject,
        request_id=uow.actor.request_id,
        changes={
            "partner": {
                "before": {"relatedId": str(row.related_customer_id), "kind": row.kind},
                "after": None,
            }
        },
    )
    return row.customer_id  # type: ignore[no-any-return]


async def record_review(
    uow: UnitOfWork, customer_id: UUID, reviewed_on: date, today: date
) -> dict[str, Any]:
    """Mark the file reviewed; an open 'review overdue' warning is settled by it."""
    if reviewed_on > today:
        raise DomainError("FUTURE_DATE", "cannot be in the future", "reviewedOn")
    stored = await save(
        uow, customer_id, None, {"last_reviewed_on": reviewed_on}, AuditAction.REVIEW_CREDIT_FILE
    )
    await uow.conn.execute(
        warnings.update()
        .where(
            warnings.c.customer_id == customer_id,
            warnings.c.kind == "CREDIT_FILE_STALE",
            warnings.c.status == "OPEN",
        )
        .values(
            status="ACKNOWLEDGED",
            acknowledged_by=uow.actor.subject,
            acknowledged_at=sa.func.now(),
            acknowledge_note="credit file reviewed",
        )
    )
    return stored
