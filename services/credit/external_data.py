"""External credit data: recorded one by one or pushed in batches, idempotent by the source's id.

The same (source, sourceRef) with the same content changes nothing; with other content it is
the source revising its record (a lawsuit closed, a listing lifted): UPDATED and audited.
A source id already used for another customer is refused rather than moved.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from dbschema.credit_analysis_tables import credit_external_records
from dbschema.queries import audit
from dbschema.tables import customers
from domain.audit import AuditAction
from domain.credit.external import Record, RecordIn, check_record
from domain.errors import DomainError, NotFound, ValidationFailed
from services.credit.batches import RowResult, import_rows
from services.uow import UnitOfWork
from services.warnings import triggers as warning_triggers

ENTITY = "ExternalCreditRecord"
#: Columns a record's content is made of (what decides UNCHANGED against UPDATED).
CONTENT = (
    "kind",
    "recorded_on",
    "summary",
    "evidence",
    "score",
    "assessment",
    "severity",
    "party",
    "legal_kind",
    "role",
    "case_number",
    "court",
    "amount_minor",
    "currency",
    "status",
    "filed_on",
    "closed_on",
)


@dataclass(frozen=True)
class ExternalOutcome:
    """What recording did: CREATED, UPDATED or UNCHANGED."""

    id: UUID
    status: str


@dataclass(frozen=True)
class StoredRecord:
    """A record as stored, for reads."""

    id: UUID
    customer_id: UUID
    kind: str
    source: str
    source_ref: str
    recorded_on: date
    summary: str | None
    evidence: str
    score: str | None
    assessment: str | None
    severity: str | None
    party: str | None
    legal_kind: str | None
    role: str | None
    case_number: str | None
    court: str | None
    amount_minor: int | None
    currency: str | None
    status: str | None
    filed_on: date | None
    closed_on: date | None
    created_at: datetime
    created_by: str
    updated_at: datetime


def stored_record(row: dict[str, Any]) -> StoredRecord:
    """A row as the read result."""
    names = {f.name for f in fields(StoredRecord)}
    values = {k: v for k, v in row.items() if k in names}
    if values.get("currency"):
        values["currency"] = values["currency"].strip()
    return StoredRecord(**values)


def _values(record: Record) -> dict[str, Any]:
    values: dict[str, Any] = {
        "kind": record.kind.value,
        "recorded_on": record.recorded_on,
        "summary": record.summary,
        "evidence": record.evidence,
        "score": record.score,
        "assessment": record.assessment and record.assessment.value,
        "severity": record.severity and record.severity.value,
        "party": record.party,
        "legal_kind": record.legal_kind and record.legal_kind.value,
        "role": record.role and record.role.value,
        "case_number": record.case_number,
        "court": record.court,
        "amount_minor": None if record.amount is None else record.amount.minor,
        "currency": None if record.amount is None else record.amount.currency,
        "status": record.status and record.status.value,
        "filed_on": record.filed_on,
        "closed_on": record.closed_on,
    }
    text = json.dumps({k: values[k] for k in CONTENT}, sort_keys=True, default=str)
    values["fingerprint"] = hashlib.sha256(text.encode()).hexdigest()
    return values


async def save_record(
    uow: UnitOfWork, customer_id: UUID, record: Record, field: str = "sourceRef"
) -> ExternalOutcome:
    """Insert, revise or leave alone the record with this source id."""
    values = _values(record)
    t = credit_external_records
    created = await uow.conn.scalar(
        insert(t)
        .values(
            tenant_id=uow.tenant_id,
            customer_id=customer_id,
            source=record.source,
            source_ref=record.source_ref,
            created_by=uow.actor.subject,
            **values,
        )
        .on_conflict_do_nothing(index_elements=["tenant_id", "source", "source_ref"])
        .returning(t.c.id)
    )
    if created is not None:
        await _audit(uow, created, customer_id, AuditAction.RECORD_EXTERNAL_CREDIT_DATA, {}, values)
        if values.get("kind") == "LEGAL_RECORD":
            await warning_triggers.legal_record(uow, customer_id, created)
        return ExternalOutcome(created, "CREATED")
    row = (
        await uow.conn.execute(
            sa.select(t)
            .where(t.c.source == record.source, t.c.source_ref == record.source_ref)
            .with_for_update()
        )
    ).one()
    before = dict(row._mapping)
    if before["customer_id"] != customer_id:
        raise DomainError(
            "SOURCE_REF_TAKEN", "this source id belongs to a record of another customer", field
        )
    if before["fingerprint"] == values["fingerprint"]:
        return ExternalOutcome(before["id"], "UNCHANGED")
    await uow.conn.execute(
        t.update().where(t.c.id == before["id"]).values(**values, updated_at=sa.func.now())
    )
    await _audit(
        uow, before["id"], customer_id, AuditAction.REVISE_EXTERNAL_CREDIT_DATA, before, values
    )
    return ExternalOutcome(before["id"], "UPDATED")


async def _audit(
    uow: UnitOfWork,
    entity_id: UUID,
    customer_id: UUID,
    verb: AuditAction,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    changes = {
        k: {"before": before.get(k), "after": after.get(k)}
        for k in CONTENT
        if before.get(k) != after.get(k)
    }
    await audit.record(
        uow.conn,
        tenant_id=uow.tenant_id,
        entity_type=ENTITY,
        entity_id=entity_id,
        customer_id=customer_id,
        action=verb,
        actor=uow.actor.subject,
        request_id=uow.actor.request_id,
        changes=json.loads(json.dumps(changes, default=str)),
    )


async def record_external(
    uow: UnitOfWork, customer_id: UUID, data: RecordIn, today: date
) -> ExternalOutcome:
    """Check and save one record of a customer of this tenant (dated by `today` at latest)."""
    found = await uow.conn.scalar(sa.select(customers.c.id).where(customers.c.id == customer_id))
    if found is None:
        raise NotFound("customerId", "customer")
    return await save_record(uow, customer_id, check_record(data, today))


@dataclass(frozen=True)
class ExternalRow:
    """A pushed record: the customer by code, dates as ISO text (a bad one refuses its row)."""

    customer_code: str
    kind: str
    source: str
    source_ref: str
    recorded_on: str
    evidence: str | None = None
    summary: str | None = None
    score: str | None = None
    assessment: str | None = None
    severity: str | None = None
    party: str | None = None
    legal_kind: str | None = None
    role: str | None = None
    case_number: str | None = None
    court: str | None = None
    amount: str | None = None
    currency: str | None = None
    status: str | None = None
    filed_on: str | None = None
    closed_on: str | None = None


def _date(text: str | None, field: str, errors: list[DomainError]) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        errors.append(DomainError("INVALID_DATE", f"{text!r} is not YYYY-MM-DD", field))
        return None


def _record_in(row: ExternalRow) -> RecordIn:
    errors: list[DomainError] = []
    recorded = _date(row.recorded_on, "recordedOn", errors)
    if recorded is None and not errors:
        errors.append(DomainError("REQUIRED", "the date of the record", "recordedOn"))
    filed = _date(row.filed_on, "filedOn", errors)
    closed = _date(row.closed_on, "closedOn", errors)
    if errors or recorded is None:
        raise ValidationFailed(errors)
    return RecordIn(
        kind=row.kind,
        source=row.source,
        source_ref=row.source_ref,
        recorded_on=recorded,
        summary=row.summary,
        evidence=row.evidence,
        score=row.score,
        assessment=row.assessment,
        severity=row.severity,
        party=row.party,
        legal_kind=row.legal_kind,
        role=row.role,
        case_number=row.case_number,
        court=row.court,
        amount=row.amount,
        currency=row.currency,
        status=row.status,
        filed_on=filed,
        closed_on=closed,
    )


async def import_external(
    uow: UnitOfWork, rows: Sequence[ExternalRow], today: date
) -> list[RowResult]:
    """Save every valid row of a batch; a refused row (one dated after `today`, among others)
    comes back by index with its errors while the others land."""
    seen: set[tuple[str, str]] = set()

    async def save(customer_id: UUID, row: ExternalRow) -> tuple[UUID, str]:
        key = (row.source.strip(), row.source_ref.strip())
        if key in seen:
            raise DomainError(
                "DUPLICATE_SOURCE_REF", "the source id repeats in the batch", "sourceRef"
            )
        seen.add(key)
        saved = await save_record(uow, customer_id, check_record(_record_in(row), today))
        return saved.id, saved.status

    return await import_rows(uow, rows, lambda r: r.customer_code, save)
