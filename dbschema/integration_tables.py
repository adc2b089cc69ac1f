"""Tables for integrators: trusted documents (persisted operations) and webhooks."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from dbschema.tables import NEW_UUID, NOW, metadata

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

webhook_endpoints = sa.Table(
    "webhook_endpoints",
    metadata,
    sa.Column(
        "tenant_id",
        UUID(as_uuid=True),
        sa.ForeignKey("tenants.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("id", UUID(as_uuid=True), nullable=False, server_default=NEW_UUID),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("event_types", ARRAY(sa.Text), nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="ACTIVE"),
    sa.Column("disable_after", sa.Integer, nullable=False),
    sa.Column("consecutive_failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("secret", sa.Text, nullable=False),
    sa.Column("previous_secret", sa.Text),
    sa.Column("previous_secret_until", sa.DateTime(timezone=True)),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.Column("disabled_at", sa.DateTime(timezone=True)),
    sa.Column("disabled_reason", sa.Text),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.CheckConstraint("status IN ('ACTIVE','DISABLED')", name="status_known"),
    sa.CheckConstraint("char_length(url) BETWEEN 1 AND 2000", name="url_length"),
    sa.CheckConstraint("char_length(description) <= 500", name="description_length"),
    sa.CheckConstraint("cardinality(event_types) BETWEEN 1 AND 50", name="event_types_count"),
    sa.CheckConstraint("disable_after BETWEEN 1 AND 1000", name="disable_after_range"),
)

webhook_deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
    sa.Column(
        "tenant_id",
        UUID(as_uuid=True),
        sa.ForeignKey("tenants.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("id", UUID(as_uuid=True), nullable=False, server_default=NEW_UUID),
    sa.Column("endpoint_id", UUID(as_uuid=True), nullable=False),
    sa.Column("event_seq", sa.BigInteger, nullable=False),
    sa.Column("topic", sa.Text, nullable=False),
    sa.Column("ordering_key", sa.Text, nullable=False),  # the customer: in order per customer
    sa.Column("payload", JSONB, nullable=False),
    sa.Column("event_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="PENDING"),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.Column("delivered_at", sa.DateTime(timezone=True)),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint("tenant_id", "endpoint_id", "event_seq"),
    sa.ForeignKeyConstraint(
        ["tenant_id", "endpoint_id"],
        ["webhook_endpoints.tenant_id", "webhook_endpoints.id"],
        ondelete="CASCADE",
    ),
    sa.CheckConstraint("status IN ('PENDING','DELIVERED','FAILED')", name="status_known"),
)

webhook_attempts = sa.Table(
    "webhook_attempts",
    metadata,
    sa.Column(
        "tenant_id",
        UUID(as_uuid=True),
        sa.ForeignKey("tenants.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("id", UUID(as_uuid=True), nullable=False, server_default=NEW_UUID),
    sa.Column("delivery_id", UUID(as_uuid=True), nullable=False),
    sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.Column("status_code", sa.Integer),
    sa.Column("latency_ms", sa.Integer, nullable=False),
    sa.Column("response_excerpt", sa.Text),
    sa.Column("error", sa.Text),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.ForeignKeyConstraint(
        ["tenant_id", "delivery_id"],
        ["webhook_deliveries.tenant_id", "webhook_deliveries.id"],
        ondelete="CASCADE",
    ),
    sa.CheckConstraint("char_length(response_excerpt) <= 500", name="excerpt_length"),
    sa.CheckConstraint("char_length(error) <= 500", name="error_length"),
)
sa.Index(
    "ix_webhook_deliveries_due",
    webhook_deliveries.c.tenant_id,
    webhook_deliveries.c.endpoint_id,
    webhook_deliveries.c.next_attempt_at,
    postgresql_where=webhook_deliveries.c.status == "PENDING",
)
sa.Index(
    "ix_webhook_attempts_delivery", webhook_attempts.c.tenant_id, webhook_attempts.c.delivery_id
)
