"""Early-warning signals: raised at most once per customer and kind while open."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dbschema.queries import warnings as q
from dbschema.queries.events import record_event, record_events
from domain import texts
from domain.audit import AuditAction
from domain.errors import DomainError, NotFound
from services import audit
from services.uow import UnitOfWork
from services.warnings.records import WarningRecord, warning_of

LEVELS = ("LIGHT", "MEDIUM", "SEVERE")
TOPIC_RAISED = "warning.raised"


def event_payload(warning: WarningRecord, customer_code: str, customer_name: str) -> dict[str, Any]:
    """A self-contained snapshot, so subscribers need no database read per event."""
    return {
        "id": str(warning.id),
        "customerId": str(warning.customer_id),
        "kind": warning.kind,
        "level": warning.level,
        "status": warning.status,
        "evidence": warning.evidence,
        "raisedAt": warning.raised_at.isoformat(),
        "customer": {"code": customer_code, "legalName": customer_name},
    }


async def raise_warning(
    uow: UnitOfWork, customer_id: UUID, kind: str, level: str, evidence: dict[str, Any]
) -> WarningRecord | None:
    """Raise unless an open warning of this kind exists; the new warning, or None."""
    row = await q.raise_open(
        uow.conn,
        tenant_id=uow.tenant_id,
        customer_id=customer_id,
        kind=kind,
        level=level,
        evidence=evidence,
    )
    if row is None:
        return None
    warning = warning_of(row)
    payload = event_payload(warning, row.customer_code, row.customer_name)
    await record_event(uow.conn, uow.tenant_id, TOPIC_RAISED, payload)
    return warning


async def raise_warnings(
    uow: UnitOfWork, signals: list[tuple[UUID, str, str, dict[str, Any]]]
) -> list[WarningRecord]:
    """Raise many warnings at once (a daily job's findings), each unless an open warning of its
    kind exists for its customer; one statement and one event per warning raised."""
    rows = await q.raise_open_many(uow.conn, uow.tenant_id, signals)
    raised = [warning_of(row) for row in rows]
    await record_events(
        uow.conn,
        uow.tenant_id,
        TOPIC_RAISED,
        [
            event_payload(w, row.customer_code, row.customer_name)
            for w, row in zip(raised, rows, strict=True)
        ],
    )
    return raised


async def acknowledge(uow: UnitOfWork, warning_id: UUID, note: str | None) -> WarningRecord:
    """Acknowledge a warning: whoever follows it up says so; it can be raised again later."""
    texts.check_text(note, texts.NOTE, "note")
    current = await q.for_update(uow.conn, warning_id)
    if current is None:
        raise NotFound("id", "warning")
    if current.status != "OPEN":
        raise DomainError("ALREADY_ACKNOWLEDGED", "warning is already acknowledged", "id")
    warning = warning_of(await q.acknowledge(uow.conn, warning_id, uow.actor.subject, note))
    await audit.record(
        uow,
        AuditAction.ACKNOWLEDGE_WARNING,
        "Warning",
        warning_id,
        warning.customer_id,
        {
            "status": {"before": "OPEN", "after": "ACKNOWLEDGED"},
            "note": {"before": None, "after": note},
        },
    )
    return warning


async def settle(uow: UnitOfWork, customer_id: UUID, kind: str, note: str) -> None:
    """Acknowledge the customer's open warning of a kind, if any, because its cause is gone."""
    await q.acknowledge_open(uow.conn, customer_id, kind, uow.actor.subject, note)
