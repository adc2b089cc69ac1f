"""The evidence chain export: a customer's collection activities as CSV, each sent document with
its archived copy (link and SHA-256), channel, recipient and message id.

Every cell is neutralised against formula injection: notes and outcomes are typed by users,
and a spreadsheet must show them, never run them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from dbschema.collections_tables import activities
from dbschema.delivery_tables import document_deliveries, sent_documents
from domain.csv_safety import safe_row
from services.collections.reads import customer_code
from services.read_session import ReadSession
from services.tenant import profile as tenant_profile

COLUMNS = (
    "customer",
    "occurred_at",
    "kind",
    "outcome",
    "notes",
    "document_ref",
    "recorded_by",
    "recorded_at",
    "document",
    "document_sha256",
    "channel",
    "recipient",
    "message_id",
)

a, d, s = activities.c, document_deliveries.c, sent_documents.c
EVIDENCE = (
    sa.select(
        a.occurred_at,
        a.kind,
        a.outcome,
        a.notes,
        a.document_ref,
        a.created_by,
        a.created_at,
        a.document_id,
        s.sha256,
        d.channel,
        d.recipient_address,
        d.message_id,
    )
    .select_from(
        activities.outerjoin(
            sent_documents, sa.and_(s.tenant_id == a.tenant_id, s.id == a.document_id)
        ).outerjoin(document_deliveries, sa.and_(d.tenant_id == a.tenant_id, d.activity_id == a.id))
    )
    .order_by(a.occurred_at, a.created_at)
)


def evidence_row(
    code: str, row: Any, zone: ZoneInfo, document_link: Callable[[UUID], str]
) -> list[str]:
    """One activity as exported: times on the tenant's clock, every cell neutralised."""
    return safe_row(
        [
            code,
            row.occurred_at.astimezone(zone).isoformat(),
            row.kind,
            row.outcome or "",
            row.notes or "",
            row.document_ref or "",
            row.created_by,
            row.created_at.astimezone(zone).isoformat(),
            document_link(row.document_id) if row.document_id else "",
            row.sha256 or "",
            row.channel or "",
            row.recipient_address or "",
            row.message_id or "",
        ]
    )


async def activities_csv(
    session: ReadSession, customer_id: UUID, document_link: Callable[[UUID], str]
) -> str | None:
    """The customer's activities as CSV (the evidence chain a court would ask for), times on the
    tenant's clock; `document_link` names where the archived copy of a document is served."""
    code = await customer_code(session, customer_id)
    if code is None:
        return None
    zone = ZoneInfo((await tenant_profile.load(session)).time_zone)
    query = EVIDENCE.where(a.customer_id == customer_id)
    rows = await session.run(lambda conn: conn.execute(query))

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(evidence_row(code, r, zone, document_link) for r in rows)
    return out.getvalue()
