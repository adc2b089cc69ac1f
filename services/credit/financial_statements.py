"""Financial statements per customer and period: recorded, corrected, imported, analysed.

A statement is keyed by customer, kind, period and source. Recording the same figures again
changes nothing (UNCHANGED); other figures for the same key are a correction (UPDATED,
audited before and after). Altman Z'' is computed when the statement is saved and stored
with the lines and ratios it used.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from dbschema.credit_analysis_tables import LINE_COLUMNS, financial_statements
from dbschema.queries import audit
from dbschema.tables import customers
from domain.audit import AuditAction
from domain.credit.altman import AltmanZ, altman_z
from domain.credit.financials import (
    Line,
    LineIn,
    PeriodKind,
    Statement,
    StatementIn,
    StatementSource,
    Unit,
    check_statement,
)
from domain.errors import DomainError, NotFound, ValidationFailed
from services.credit.batches import RowResult, import_rows
from services.uow import UnitOfWork

ENTITY = "FinancialStatement"


@dataclass(frozen=True)
class StoredStatement:
    """A saved statement: its figures, the Z'' stored with it, who saved it and when."""

    id: UUID
    customer_id: UUID
    statement: Statement
    z_score: str | None
    z_zone: str | None
    z_inputs: dict[str, Any]
    version: int
    created_at: datetime
    created_by: str
    updated_at: datetime


@dataclass(frozen=True)
class SaveOutcome:
    """What saving did: CREATED, UPDATED (a correction) or UNCHANGED (the same figures)."""

    id: UUID
    status: str


#: Each line with its column, computed once (statements are read 50,000 at a time).
LINE_PAIRS = tuple((line, LINE_COLUMNS[line.value]) for line in Line)


def statement_of(row: Mapping[Any, Any]) -> Statement:
    """A stored row (or the columns of it a caller selected) as the domain's statement."""
    lines = {}
    for line, column in LINE_PAIRS:
        value = row.get(column)
        if value is not None:
            lines[line] = value
    return Statement(
        period_start=row["period_start"],
        period_end=row["period_end"],
        kind=PeriodKind(row["kind"]),
        source=StatementSource(row["source"]),
        currency=row["currency"].strip(),
        unit=Unit(row["unit"]),
        lines=lines,
    )


def stored(row: dict[str, Any]) -> StoredStatement:
    """A stored row as the service's result."""
    return StoredStatement(
        id=row["id"],
        customer_id=row["customer_id"],
        statement=statement_of(row),
        z_score=None if row["z_score"] is None else str(row["z_score"]),
        z_zone=row["z_zone"],
        z_inputs=row["z_inputs"],
        version=row["version"],
        created_at=row["created_at"],
        created_by=row["created_by"],
        updated_at=row["updated_at"],
    )


def z_inputs(z: AltmanZ) -> dict[str, Any]:
    """What Z'' used, as stored beside the score."""
    return {
        "lines": z.lines,
        "x": None if z.x is None else [str(x) for x in z.x],
        "annualisedBy": str(z.annualised_by),
        "reason": z.reason,
    }


def _values(stmt: Statement) -> dict[str, Any]:
    z = altman_z(stmt)
    values: dict[str, Any] = {LINE_COLUMNS[line.value]: stmt.lines.get(line) for line in Line}
    values.update(
        currency=stmt.currency,
        unit=stmt.unit.value,
        negative_equity=stmt.negative_equity,
        z_score=z.score,
        z_zone=None if z.zone is None else z.zone.value,
        z_inputs=z_inputs(z),
    )
    figures = {k: values[k] for k in (*LINE_COLUMNS.values(), "currency", "unit")}
    values["fingerprint"] = hashlib.sha256(json.dumps(figures, sort_keys=True).encode()).hexdigest()
    return values


async def _customer_exists(uow: UnitOfWork, customer_id: UUID) -> bool:
    found = await uow.conn.scalar(sa.select(customers.c.id).where(customers.c.id == customer_id))
    return found is not None


async def save_statement(uow: UnitOfWork, customer_id: UUID, stmt: Statement) -> SaveOutcome:
    """Insert, correct or leave alone the statement of this key (locked against a racing save)."""
    values = _values(stmt)
    key = {
        "customer_id": customer_id,
        "kind": stmt.kind.value,
        "period_start": stmt.period_start,
        "period_end": stmt.period_end,
        "source": stmt.source.value,
    }
    created = await uow.conn.scalar(
        insert(financial_statements)
        .values(tenant_id=uow.tenant_id, created_by=uow.actor.subject, **key, **values)
        .on_conflict_do_nothing(
            index_elements=[
                "tenant_id",
                "customer_id",
                "kind",
                "period_start",
                "period_end",
                "source",
            ]
        )
        .returning(financial_statements.c.id)
    )
    if created is not None:
        await _audit(uow, created, customer_id, AuditAction.RECORD_FINANCIAL_STATEMENT, {}, values)
        return SaveOutcome(created, "CREATED")
    cols = financial_statements.c
    row = (
        await uow.conn.execute(
            sa.select(financial_statements)
            .where(*(getattr(cols, k) == v for k, v in key.items()))
            .with_for_update()
        )
    ).one()
    before = dict(row._mapping)
    if before["fingerprint"] == values["fingerprint"]:
        return SaveOutcome(before["id"], "UNCHANGED")
    await uow.conn.execute(
        financial_statements.update()
        .where(cols.id == before["id"])
        .values(**values, version=cols.version + 1, updated_at=sa.func.now())
    )
    await _audit(
        uow, before["id"], customer_id, AuditAction.CORRECT_FINANCIAL_STATEMENT, before, values
    )
    return SaveOutcome(before["id"], "UPDATED")


async def _audit(
    uow: UnitOfWork,
    entity_id: UUID,
    customer_id: UUID,
    verb: AuditAction,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    watched = (*LINE_COLUMNS.values(), "currency", "unit", "z_zone")
    changes = {
        k: {"before": before.get(k), "after": after.get(k)}
        for k in watched
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


async def record_statement(
    uow: UnitOfWork, customer_id: UUID, data: StatementIn, today: date
) -> SaveOutcome:
    """Check and save one statement of a customer of this tenant (a period not ended by
    `today` is refused)."""
    if not await _customer_exists(uow, customer_id):
        raise NotFound("customerId", "customer")
    return await save_statement(uow, customer_id, check_statement(data, today))


@dataclass(frozen=True)
class StatementRow:
    """One imported row: the customer by code, dates as ISO text, lines by name."""

    customer_code: str
    period_start: str
    period_end: str
    kind: str
    source: str
    currency: str
    unit: str
    lines: dict[str, str]


def _row_statement(row: StatementRow) -> StatementIn:
    errors: list[DomainError] = []
    dates: list[date] = []
    for text, name in ((row.period_start, "periodStart"), (row.period_end, "periodEnd")):
        try:
            dates.append(date.fromisoformat(text.strip()))
        except ValueError:
            errors.append(DomainError("INVALID_DATE", f"{text!r} is not YYYY-MM-DD", name))
    if errors:
        raise ValidationFailed(errors)
    return StatementIn(
        period_start=dates[0],
        period_end=dates[1],
        kind=row.kind,
        source=row.source,
        currency=row.currency,
        unit=row.unit,
        lines=tuple(LineIn(k, v) for k, v in row.lines.items() if v.strip()),
    )


async def import_statements(
    uow: UnitOfWork, rows: Sequence[StatementRow], today: date
) -> list[RowResult]:
    """Save every valid row; a refused row (a period not ended by `today`, among others)
    comes back by index with its errors."""

    async def save(customer_id: UUID, row: StatementRow) -> tuple[UUID, str]:
        saved = await save_statement(uow, customer_id, check_statement(_row_statement(row), today))
        return saved.id, saved.status

    return await import_rows(uow, rows, lambda r: r.customer_code, save)
