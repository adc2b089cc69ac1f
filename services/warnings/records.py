"""Warnings as the warning services hand them back: typed and immutable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
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
    )


@dataclass(frozen=True, slots=True)
class WarningPage:
    """A page of warnings, newest first: the records, the filtered total, whether more follow."""

    items: list[WarningRecord]
    total: int
    has_next: bool
