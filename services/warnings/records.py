"""Warnings as the warning services hand them back: typed and immutable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID


@dataclass(frozen=True, slots=True)
class WarningRecord:
    """An early-warning signal raised on a customer, and who took it up."""

    id: UUID
    customer_id: UUID
    kind: str
    level: str
    status: str
    evidence: dict[str, Any]
    raised_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    acknowledge_note: str | None
    window: str = ""
    level_raised_at: datetime | None = None
    status_by: str | None = None
    status_at: datetime | None = None
    status_note: str | None = None
    feedback: str | None = None
    owner_role: str | None = None
    sla_due_at: datetime | None = None
    escalated_at: datetime | None = None


def warning_of(row: Any) -> WarningRecord:
    """A warning from its stored row."""
    return WarningRecord(
        row.id,
        row.customer_id,
        row.kind,
        row.level,
        row.status,
        row.evidence,
        row.raised_at,
        row.acknowledged_by,
        row.acknowledged_at,
        row.acknowledge_note,
        row.window_key,
        row.level_raised_at,
        row.status_by,
        row.status_at,
        row.status_note,
        row.feedback,
        row.owner_role,
        row.sla_due_at,
        row.escalated_at,
    )


@dataclass(frozen=True, slots=True)
class ResponseRecord:
    """What the platform did or proposed because of a warning, and its decision."""

    id: UUID
    warning_id: UUID
    customer_id: UUID
    action: str
    level: str
    role: str
    status: str
    due_on: date | None
    details: dict[str, Any]
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None


def response_of(row: Any) -> ResponseRecord:
    """A response from its stored row."""
    return ResponseRecord(
        row.id,
        row.warning_id,
        row.customer_id,
        row.action,
        row.level,
        row.role,
        row.status,
        row.due_on,
        row.details,
        row.created_at,
        row.decided_by,
        row.decided_at,
        row.decision_note,
    )


@dataclass(frozen=True, slots=True)
class WarningPage:
    """A page of warnings, newest first: the records, the filtered total, whether more follow."""

    items: list[WarningRecord]
    total: int
    has_next: bool
