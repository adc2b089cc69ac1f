"""Risk transfer documents: the letters insurance and factoring send (overdue notifications,
claim packs, notices of assignment) and their kept PDFs, one per language.

Kept PDFs are append-only for the application role (granted in migration 0016).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

from dbschema.risk_transfer_columns import _created, _fk, _id, _tenant
from dbschema.tables import NOW, metadata

risk_documents = sa.Table(
    "risk_documents",
    metadata,
    _tenant(),
    _id(),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("content", JSONB, nullable=False),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _fk(["customer_id"], "customers", ["id"]),
    sa.CheckConstraint(
        "kind IN ('OVERDUE_NOTIFICATION','CLAIM_PACK','ASSIGNMENT_NOTICE')", name="kind_known"
    ),
)

risk_document_pdfs = sa.Table(
    "risk_document_pdfs",
    metadata,
    _tenant(),
    sa.Column("document_id", UUID(as_uuid=True), nullable=False),
    sa.Column("lang", sa.Text, nullable=False),
    sa.Column("pdf", sa.LargeBinary, nullable=False),
    sa.Column("sha256", sa.Text, nullable=False),
    sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "document_id", "lang"),
    _fk(["document_id"], "risk_documents", ["id"]),
    sa.CheckConstraint("lang IN ('zh-CN','en')", name="lang_known"),
)

#: Every table of this module, in creation order.
TABLES = (
    risk_documents,
    risk_document_pdfs,
)
#: Facts the app adds but never edits: corrections are reversals or new entries.
APPEND_ONLY = ("risk_document_pdfs",)
