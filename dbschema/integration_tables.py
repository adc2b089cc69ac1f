"""Tables for integrators: the trusted documents (persisted operations) a tenant registered."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID

from dbschema.tables import NOW, metadata

DOCUMENT_MAX = 100_000  #: characters of one registered operation document
NAME_MAX = 200  #: characters of a document's name

trusted_documents = sa.Table(
    "trusted_documents",
    metadata,
    sa.Column(
        "tenant_id",
        UUID(as_uuid=True),
        sa.ForeignKey("tenants.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("id", sa.Text, nullable=False),  # "sha256:<64 hex>" of the body's UTF-8 bytes
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.CheckConstraint("id ~ '^sha256:[0-9a-f]{64}$'", name="id_is_sha256"),
    sa.CheckConstraint(f"char_length(body) BETWEEN 1 AND {DOCUMENT_MAX}", name="body_length"),
    sa.CheckConstraint(f"char_length(name) BETWEEN 1 AND {NAME_MAX}", name="name_length"),
)
