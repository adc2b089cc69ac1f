"""A warning's lifecycle through the API: status changes with feedback and a note, feedback
on its own, and decisions on the responses a warning raised."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.queries import warning_responses as rq
from dbschema.queries import warnings as q
from dbschema.queries.events import record_event
from domain import roles
from domain.audit import AuditAction
from domain.credit.bounds import clean_text
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.warning_rules.lifecycle import MAX_NOTE, Feedback, Status, move
from domain.warning_rules.responses import Action
from services import audit
from services.read_session import ReadSession
from services.uow import UnitOfWork
from services.warnings.records import ResponseRecord, WarningRecord, response_of, warning_of

TOPIC_STATUS = "warning.status_changed"


def _enum(kind: type[Any], value: str | None, field: str, errors: list[DomainError]) -> Any:
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        errors.append(DomainError("INVALID_KIND", f"unknown value {value!r}", field))
        return None


async def _locked(uow: UnitOfWork, warning_id: UUID) -> Any:
    current = await q.for_update(uow.conn, warning_id)
    if current is None:
        raise NotFound("id", "warning")
    return current


async def change_status(
    uow: UnitOfWork, warning_id: UUID, status: str, feedback: str | None, note: str | None
) -> WarningRecord:
    """Move a warning along its lifecycle (with feedback and a note)."""
    errors: list[DomainError] = []
    target = _enum(Status, status, "status", errors)
    given = _enum(Feedback, feedback, "feedback", errors)
    text = clean_text(note, "note", MAX_NOTE, errors, required=False)
    if errors:
        raise ValidationFailed(errors)
    current = await _locked(uow, warning_id)
    stored = move(Status(current.status), target, given)
    values: dict[str, Any] = {
        "status": target.value,
        "status_by": uow.actor.subject,
        "status_at": sa.func.now(),
        "status_note": text,
    }
    if stored is not None:
        values["feedback"] = stored.value
    if target is Status.ACKNOWLEDGED:  # the older acknowledgement fields stay meaningful
        values |= {
            "acknowledged_by": uow.actor.subject,
            "acknowledged_at": sa.func.now(),
            "acknowledge_note": text,
        }
    warning = warning_of(await q.set_status(uow.conn, warning_id, values))
    changes = {
        "status": {"before": current.status, "after": target.value},
        "feedback": {"before": current.feedback, "after": warning.feedback},
        "note": {"before": current.status_note, "after": text},
    }
    await audit.record(
        uow, AuditAction.CHANGE_WARNING_STATUS, "Warning", warning_id, warning.customer_id, changes
    )
    await record_event(
        uow.conn,
        uow.tenant_id,
        TOPIC_STATUS,
        {
            "id": str(warning_id),
            "customerId": str(warning.customer_id),
            "kind": warning.kind,
            "status": warning.status,
            "feedback": warning.feedback,
        },
    )
    return warning


async def give_feedback(
    uow: UnitOfWork, warning_id: UUID, feedback: str, note: str | None
) -> WarningRecord:
    """Say whether a warning was a true or a false alarm, in any status."""
    errors: list[DomainError] = []
    given = _enum(Feedback, feedback, "feedback", errors)
    text = clean_text(note, "note", MAX_NOTE, errors, required=False)
    if errors:
        raise ValidationFailed(errors)
    current = await _locked(uow, warning_id)
    values = {"feedback": given.value, "status_note": text or current.status_note}
    warning = warning_of(await q.set_status(uow.conn, warning_id, values))
    changes = {"feedback": {"before": current.feedback, "after": given.value}}
    if text:
        changes["note"] = {"before": current.status_note, "after": text}
    await audit.record(
        uow, AuditAction.CHANGE_WARNING_STATUS, "Warning", warning_id, warning.customer_id, changes
    )
    return warning


#: What a decision does to each kind of response: proposals are approved or rejected (by the
#: credit manager), the others are done (a hold is released through setCreditHold instead).
DECIDABLE = {Action.TERMS_PROPOSAL, Action.TASK, Action.REVIEW_FORWARD, Action.NOTIFY_LEGAL}


async def decide_response(
    uow: UnitOfWork, response_id: UUID, approve: bool, note: str | None
) -> ResponseRecord:
    """Approve or reject a proposal, or mark a task, review or notice done."""
    errors: list[DomainError] = []
    text = clean_text(note, "note", MAX_NOTE, errors, required=False)
    if errors:
        raise ValidationFailed(errors)
    current = await rq.lock(uow.conn, response_id)
    if current is None:
        raise NotFound("id", "response")
    action = Action(current.action)
    if action not in DECIDABLE:
        raise DomainError("NOT_DECIDABLE", "a credit hold is lifted with setCreditHold", "id")
    if current.status not in ("OPEN", "PENDING"):
        raise DomainError("ALREADY_DECIDED", "this response is decided already", "id")
    if action is Action.TERMS_PROPOSAL:
        if roles.CREDIT_MANAGER not in uow.actor.roles:
            raise DomainError("NOT_ALLOWED", "a credit manager decides proposals", "id")
        status = "APPROVED" if approve else "REJECTED"
    else:
        status = "DONE"
    row = await rq.decide(uow.conn, response_id, status, uow.actor.subject, text)
    await audit.record(
        uow,
        AuditAction.DECIDE_WARNING_RESPONSE,
        "WarningResponse",
        response_id,
        row.customer_id,
        {"status": {"before": current.status, "after": status}, "note": {"after": text}},
    )
    return response_of(row)


async def responses_of(session: ReadSession, ids: list[UUID]) -> list[list[ResponseRecord]]:
    """Each warning's responses, in the order asked."""
    rows = await session.run(lambda c: rq.for_warnings(c, ids))
    by: dict[UUID, list[ResponseRecord]] = {i: [] for i in ids}
    for row in rows:
        by[row.warning_id].append(response_of(row))
    return [by[i] for i in ids]
