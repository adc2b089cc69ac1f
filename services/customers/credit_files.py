"""The dossier: partners, dated timeline entries, reviews; and its completeness facts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.queries import credit_files as q
from dbschema.queries import customers as customer_queries
from domain import texts
from domain.audit import AuditAction
from domain.credit_file import (
    DEFAULT_REVIEW_INTERVAL_DAYS,
    CreditFileFacts,
    CreditRecords,
    DocumentKind,
    RelationKind,
    RequiredItem,
    dated_items,
    parse_policy,
)
from domain.dates import check_date
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.partners import ownership_conflict
from services import audit
from services.credit import limit_groups
from services.customers import partner_groups
from services.customers.master_data import locked, save
from services.customers.records import CreditFileEntry, CustomerRecord, PartnerLink, Relation
from services.uow import UnitOfWork
from services.warnings import signals

#: The open warning a recorded review settles.
STALE_WARNING = "CREDIT_FILE_STALE"


@dataclass(frozen=True, slots=True)
class Policy:
    """The tenant's dossier checklist and how often a file must be reviewed."""

    items: tuple[RequiredItem, ...]
    review_interval_days: int


def policy_from(settings: dict[str, Any]) -> Policy:
    """The completeness policy and review interval in a tenant's settings (else the practice's)."""
    interval = int(settings.get("reviewIntervalDays", DEFAULT_REVIEW_INTERVAL_DAYS))
    return Policy(parse_policy(settings.get("creditFilePolicy")), interval)


def facts_from(
    present: Sequence[str],
    partner_count: int,
    kinds: Sequence[str] | None,
    dates: Sequence[date] | None,
    records: CreditRecords | None = None,
) -> CreditFileFacts:
    """What the dossier holds, for the pure completeness rule (newest date per item, from the
    timeline entries and the credit records together)."""
    filled = frozenset((*present, "PARTNERS") if partner_count else present)
    latest = dict(zip(kinds, dates, strict=True)) if kinds and dates else {}
    return CreditFileFacts(filled, latest if records is None else dated_items(latest, records))


def records_from(
    statement_end: date | None,
    sales_end: date | None,
    kinds: Sequence[str] | None,
    dates: Sequence[date] | None,
) -> CreditRecords | None:
    """The credit records' newest dates from the facts row (None when there are none, the
    usual case, which then costs nothing more)."""
    if statement_end is None and not kinds:
        return None
    external = dict(zip(kinds, dates, strict=True)) if kinds and dates else {}
    return CreditRecords(statement_end, sales_end, external)


@dataclass(frozen=True, slots=True)
class Dossiers:
    """What one facts statement tells about many dossiers (see q.credit_file_facts)."""

    facts: dict[UUID, CreditFileFacts]
    #: the tenant's settings, carried by the first row (None when there was no row)
    settings: dict[str, Any] | None
    partners: dict[UUID, list[PartnerLink]]


def dossiers_from(rows: Sequence[Any], with_partners: bool) -> Dossiers:
    """Facts, the tenant's settings and (when asked) each customer's partner links, from the
    rows of one facts statement: a page's dossier costs one round trip."""
    settings: dict[str, Any] | None = None
    facts: dict[UUID, CreditFileFacts] = {}
    partners: dict[UUID, list[PartnerLink]] = {}
    make = PartnerLink._make
    # unpacked in the statement's column order: a Row's attribute access costs ~1 us each
    for (
        customer_id,
        present,
        partner_count,
        kinds,
        dates,
        statement_end,
        sales_end,
        record_kinds,
        record_dates,
        tenant_settings,
        *links,
    ) in rows:
        records = records_from(statement_end, sales_end, record_kinds, record_dates)
        facts[customer_id] = facts_from(present, partner_count, kinds, dates, records)
        if tenant_settings is not None:
            settings = tenant_settings
        if with_partners:
            partners[customer_id] = (
                [make(link) for link in zip(*links, strict=True)] if links[0] else []
            )
    return Dossiers(facts, settings, partners)


async def facts_for(uow: UnitOfWork, customer_ids: list[UUID]) -> dict[UUID, CreditFileFacts]:
    """Facts for many customers with one query."""
    return await facts_on(uow.conn, customer_ids)


async def facts_on(conn: AsyncConnection, customer_ids: list[UUID]) -> dict[UUID, CreditFileFacts]:
    """The same, on a connection a read session or unit of work already holds."""
    return dossiers_from(await q.credit_file_facts(conn, customer_ids), False).facts


async def tenant_policy(uow: UnitOfWork) -> Policy:
    """The tenant's completeness policy and review interval."""
    return await policy_on(uow.conn)


async def policy_on(conn: AsyncConnection) -> Policy:
    """The same, on a connection a read session or unit of work already holds."""
    return policy_from(await customer_queries.tenant_settings(conn))


async def add_entry(
    uow: UnitOfWork,
    customer_id: UUID,
    occurred_on: date,
    kind: str,
    title: str,
    body: str | None,
    document_ref: str | None,
    today: date,
) -> CreditFileEntry:
    """Append a dated note or document to the timeline (entries are never edited)."""
    errors = []
    if kind not in DocumentKind.__members__:
        errors.append(DomainError("INVALID_KIND", f"unknown entry kind {kind!r}", "kind"))
    if not title.strip():
        errors.append(DomainError("REQUIRED", "must not be blank", "title"))
    texts.collect_text(title, texts.NAME, "title", errors)
    texts.collect_text(body, texts.TEXT, "body", errors)
    texts.collect_text(document_ref, texts.REFERENCE, "documentRef", errors)
    try:
        check_date(occurred_on, "occurredOn")
        if occurred_on > today:
            errors.append(DomainError("FUTURE_DATE", "cannot be in the future", "occurredOn"))
    except DomainError as exc:
        errors.append(exc)
    if errors:
        raise ValidationFailed(errors)
    await locked(uow, customer_id, None, "customerId")
    values = {
        "tenant_id": uow.tenant_id,
        "customer_id": customer_id,
        "occurred_on": occurred_on,
        "kind": kind,
        "title": title.strip(),
        "body": body,
        "document_ref": document_ref,
        "created_by": uow.actor.subject,
    }
    entry = entry_of(await q.insert_entry(uow.conn, values))
    after = {"kind": kind, "title": entry.title, "occurredOn": occurred_on.isoformat()}
    await audit.record(
        uow,
        AuditAction.ADD_CREDIT_FILE_ENTRY,
        "CreditFileEntry",
        entry.id,
        customer_id,
        {"entry": {"before": None, "after": after}},
    )
    return entry


def entry_of(row: Any) -> CreditFileEntry:
    """A timeline entry from its stored row."""
    return CreditFileEntry(
        row.id,
        row.customer_id,
        row.occurred_on,
        row.kind,
        row.title,
        row.body,
        row.document_ref,
        row.created_by,
        row.created_at,
    )


def _relation(row: Any) -> Relation:
    return Relation(row.id, row.customer_id, row.related_customer_id, row.kind, row.note)


async def link_partner(
    uow: UnitOfWork, customer_id: UUID, related_id: UUID, kind: str, note: str | None
) -> Relation:
    """Link a related party (both must be this tenant's customers); never one joining two
    groups that each have a group limit (partner_groups)."""
    if kind not in RelationKind.__members__:
        raise DomainError("INVALID_KIND", f"unknown relation kind {kind!r}", "kind")
    texts.check_text(note, texts.NOTE, "note")
    if customer_id == related_id:
        raise DomainError("SELF_RELATION", "a customer cannot be its own partner", "relatedId")
    # the tenant's group-limit turn first (partner_groups: before any customer row), then both
    # sides locked in id order, so two people linking one pair from either side at once
    # cannot both pass the checks below (nor deadlock)
    await limit_groups.take_turns(uow)
    found = await customer_queries.lock_ids(uow.conn, [customer_id, related_id])
    if customer_id not in found:
        raise NotFound("customerId", "customer")
    if related_id not in found:
        raise NotFound("relatedId", "customer")
    if await q.relation_exists(uow.conn, customer_id, related_id, kind):
        raise DomainError("DUPLICATE_RELATION", "this link already exists", "relatedId")
    on_file = await q.links_between(uow.conn, customer_id, related_id)
    if conflict := ownership_conflict(customer_id, related_id, kind, on_file):
        raise conflict
    await partner_groups.check_join(uow, customer_id, related_id, kind)
    values = {
        "tenant_id": uow.tenant_id,
        "customer_id": customer_id,
        "related_customer_id": related_id,
        "kind": kind,
        "note": note,
    }
    relation = _relation(await q.insert_relation(uow.conn, values))
    after = {"relatedId": str(related_id), "kind": kind}
    await audit.record(
        uow,
        AuditAction.LINK_PARTNER,
        "CustomerRelation",
        relation.id,
        customer_id,
        {"partner": {"before": None, "after": after}},
    )
    return relation


async def unlink_partner(uow: UnitOfWork, relation_id: UUID) -> Relation:
    """Remove a partner link; the audit trail keeps what it was. It takes the group-limit turn:
    a group limit approved meanwhile is checked against the links left."""
    await limit_groups.take_turns(uow)
    row = await q.delete_relation(uow.conn, relation_id)
    if row is None:
        raise NotFound("id", "partner link")
    relation = _relation(row)
    before = {"relatedId": str(relation.related_customer_id), "kind": relation.kind}
    await audit.record(
        uow,
        AuditAction.UNLINK_PARTNER,
        "CustomerRelation",
        relation.id,
        relation.customer_id,
        {"partner": {"before": before, "after": None}},
    )
    return relation


async def record_review(
    uow: UnitOfWork, customer_id: UUID, reviewed_on: date, today: date
) -> CustomerRecord:
    """Mark the file reviewed; an open 'review overdue' warning is settled by it."""
    check_date(reviewed_on, "reviewedOn")
    if reviewed_on > today:
        raise DomainError("FUTURE_DATE", "cannot be in the future", "reviewedOn")
    stored = await save(
        uow, customer_id, None, {"last_reviewed_on": reviewed_on}, AuditAction.REVIEW_CREDIT_FILE
    )
    await signals.settle(uow, customer_id, STALE_WARNING, "credit file reviewed")
    return stored
