"""What leaves the platform: the archive of documents as sent, their deliveries, the letter
numbers, and each tenant's outgoing mail server."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID

from dbschema.tables import NEW_UUID, NOW, metadata


def _tenant(primary_key: bool = False) -> sa.Column[object]:
    """The owning tenant (row-level security compares it with app.tenant_id)."""
    return sa.Column(
        "tenant_id",
        UUID(as_uuid=True),
        sa.ForeignKey("tenants.id", ondelete="CASCADE"),
        nullable=False,
        primary_key=primary_key,
    )


DOCUMENT_KINDS = ("PRE_DUE_REMINDER", "REMINDER", "DEMAND", "LAWYER", "STATEMENT")
CHANNELS = ("EMAIL", "POST", "COURIER", "HAND")
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024  #: a letter or statement is tens of kilobytes

#: Every document that left the platform, as the exact bytes sent; append-only (the app role
#: may insert and read, never change or delete), the digest checked by the database itself.
sent_documents = sa.Table(
    "sent_documents",
    metadata,
    _tenant(),
    sa.Column("id", UUID(as_uuid=True), nullable=False, server_default=NEW_UUID),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("number", sa.Text),
    sa.Column("lang", sa.Text, nullable=False),
    sa.Column("media_type", sa.Text, nullable=False),
    sa.Column("filename", sa.Text, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("sha256", sa.CHAR(64), nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("statement_id", UUID(as_uuid=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.ForeignKeyConstraint(["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"]),
    sa.ForeignKeyConstraint(
        ["tenant_id", "statement_id"], ["statements.tenant_id", "statements.id"]
    ),
    sa.CheckConstraint(f"kind IN {DOCUMENT_KINDS}", name="kind_known"),
    sa.CheckConstraint("lang IN ('zh-CN','en')", name="lang_known"),
    sa.CheckConstraint("sha256 = encode(sha256(content), 'hex')", name="digest_matches"),
    sa.CheckConstraint(
        f"octet_length(content) BETWEEN 1 AND {DOCUMENT_MAX_BYTES}", name="content_size"
    ),
)
sa.Index(
    "ix_sent_documents_customer",
    sent_documents.c.tenant_id,
    sent_documents.c.customer_id,
    sent_documents.c.kind,
    sent_documents.c.created_at,
)

#: One copy of a document on its way to one recipient by one channel.
document_deliveries = sa.Table(
    "document_deliveries",
    metadata,
    _tenant(),
    sa.Column("id", UUID(as_uuid=True), nullable=False, server_default=NEW_UUID),
    sa.Column("document_id", UUID(as_uuid=True), nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("channel", sa.Text, nullable=False),
    sa.Column("recipient_name", sa.Text),
    sa.Column("recipient_address", sa.Text, nullable=False),
    sa.Column("lang", sa.Text, nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="PENDING"),
    sa.Column("job_id", UUID(as_uuid=True)),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text),
    sa.Column("message_id", sa.Text),
    sa.Column("server_reply", sa.Text),
    sa.Column("message", sa.LargeBinary),
    sa.Column("message_sha256", sa.CHAR(64)),
    sa.Column("sent_at", sa.DateTime(timezone=True)),
    sa.Column("failed_at", sa.DateTime(timezone=True)),
    sa.Column("activity_id", UUID(as_uuid=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.ForeignKeyConstraint(
        ["tenant_id", "document_id"], ["sent_documents.tenant_id", "sent_documents.id"]
    ),
    sa.ForeignKeyConstraint(["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"]),
    sa.CheckConstraint(f"channel IN {CHANNELS}", name="channel_known"),
    sa.CheckConstraint("status IN ('PENDING','SENT','FAILED')", name="status_known"),
    sa.CheckConstraint("status <> 'SENT' OR sent_at IS NOT NULL", name="sent_has_time"),
    sa.CheckConstraint(
        "message IS NULL OR message_sha256 = encode(sha256(message), 'hex')",
        name="message_digest_matches",
    ),
)
sa.Index(
    "ix_document_deliveries_document",
    document_deliveries.c.tenant_id,
    document_deliveries.c.document_id,
)
sa.Index(
    "ix_document_deliveries_activity",
    document_deliveries.c.tenant_id,
    document_deliveries.c.activity_id,
)

#: The last number given per tenant, series and year (DL-2026-0007).
document_numbers = sa.Table(
    "document_numbers",
    metadata,
    _tenant(),
    sa.Column("series", sa.Text, nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("last", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("tenant_id", "series", "year"),
)

#: A tenant's outgoing mail server; the password is written, used to log in, never shown.
smtp_settings = sa.Table(
    "smtp_settings",
    metadata,
    _tenant(primary_key=True),
    sa.Column("host", sa.Text, nullable=False),
    sa.Column("port", sa.Integer, nullable=False),
    sa.Column("security", sa.Text, nullable=False),
    sa.Column("username", sa.Text),
    sa.Column("password", sa.Text),
    sa.Column("from_address", sa.Text, nullable=False),
    sa.Column("from_name", sa.Text),
    sa.Column("reply_to", sa.Text),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.Column("updated_by", sa.Text),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.CheckConstraint("security IN ('STARTTLS','TLS','NONE')", name="security_known"),
    sa.CheckConstraint("port BETWEEN 1 AND 65535", name="port_range"),
    sa.CheckConstraint("char_length(host) BETWEEN 1 AND 253", name="host_length"),
    sa.CheckConstraint("(username IS NULL) = (password IS NULL)", name="login_complete"),
)
