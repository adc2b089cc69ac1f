"""Webhooks: endpoints with signing secrets, one delivery per event and endpoint (fanned out by a
trigger in the event's own transaction), and a log of every attempt.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TABLES = ("webhook_endpoints", "webhook_deliveries", "webhook_attempts")


def upgrade() -> None:
    uuid = postgresql.UUID(as_uuid=True)
    now = sa.text("now()")
    op.create_table(
        "webhook_endpoints",
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("id", uuid, server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("event_types", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("status", sa.Text(), server_default="ACTIVE", nullable=False),
        sa.Column("disable_after", sa.Integer(), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("previous_secret", sa.Text()),
        sa.Column("previous_secret_until", sa.DateTime(timezone=True)),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=now, nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True)),
        sa.Column("disabled_reason", sa.Text()),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "status IN ('ACTIVE','DISABLED')", name=op.f("ck_webhook_endpoints_status_known")
        ),
        sa.CheckConstraint(
            "char_length(url) BETWEEN 1 AND 2000", name=op.f("ck_webhook_endpoints_url_length")
        ),
        sa.CheckConstraint(
            "char_length(description) <= 500", name=op.f("ck_webhook_endpoints_description_length")
        ),
        sa.CheckConstraint(
            "cardinality(event_types) BETWEEN 1 AND 50",
            name=op.f("ck_webhook_endpoints_event_types_count"),
        ),
        sa.CheckConstraint(
            "disable_after BETWEEN 1 AND 1000",
            name=op.f("ck_webhook_endpoints_disable_after_range"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            ondelete="CASCADE",
            name=op.f("fk_webhook_endpoints_tenant_id_tenants"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_webhook_endpoints")),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("id", uuid, server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("endpoint_id", uuid, nullable=False),
        sa.Column("event_seq", sa.BigInteger(), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("ordering_key", sa.Text(), nullable=False),
        sa.Column("payload", postgresql.JSONB(), nullable=False),
        sa.Column("event_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Text(), server_default="PENDING", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "next_attempt_at", sa.DateTime(timezone=True), server_default=now, nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=now, nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint(
            "status IN ('PENDING','DELIVERED','FAILED')",
            name=op.f("ck_webhook_deliveries_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            ondelete="CASCADE",
            name=op.f("fk_webhook_deliveries_tenant_id_tenants"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "endpoint_id"],
            ["webhook_endpoints.tenant_id", "webhook_endpoints.id"],
            ondelete="CASCADE",
            name=op.f("fk_webhook_deliveries_tenant_id_endpoint_id_webhook_endpoints"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_webhook_deliveries")),
        sa.UniqueConstraint(
            "tenant_id",
            "endpoint_id",
            "event_seq",
            name=op.f("uq_webhook_deliveries_tenant_id_endpoint_id_event_seq"),
        ),
    )
    op.create_index(
        "ix_webhook_deliveries_due",
        "webhook_deliveries",
        ["tenant_id", "endpoint_id", "next_attempt_at"],
        postgresql_where=sa.text("status = 'PENDING'"),
    )
    # the order check: is an earlier delivery of the same customer still waiting?
    op.create_index(
        "ix_webhook_deliveries_order",
        "webhook_deliveries",
        ["tenant_id", "endpoint_id", "ordering_key", "event_seq"],
        postgresql_where=sa.text("status = 'PENDING'"),
    )
    op.create_table(
        "webhook_attempts",
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("id", uuid, server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("delivery_id", uuid, nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), server_default=now, nullable=False),
        sa.Column("status_code", sa.Integer()),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.Column("response_excerpt", sa.Text()),
        sa.Column("error", sa.Text()),
        sa.CheckConstraint(
            "char_length(response_excerpt) <= 500", name=op.f("ck_webhook_attempts_excerpt_length")
        ),
        sa.CheckConstraint(
            "char_length(error) <= 500", name=op.f("ck_webhook_attempts_error_length")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            ondelete="CASCADE",
            name=op.f("fk_webhook_attempts_tenant_id_tenants"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "delivery_id"],
            ["webhook_deliveries.tenant_id", "webhook_deliveries.id"],
            ondelete="CASCADE",
            name=op.f("fk_webhook_attempts_tenant_id_delivery_id_webhook_deliveries"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_webhook_attempts")),
    )
    op.create_index(
        "ix_webhook_attempts_delivery", "webhook_attempts", ["tenant_id", "delivery_id"]
    )
    role = op.get_context().opts["app_role"]
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} USING "
            "(tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()))"
        )
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON webhook_endpoints TO {role}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON webhook_deliveries TO {role}")
    op.execute(f"GRANT SELECT, INSERT ON webhook_attempts TO {role}")  # the log is append-only
    # Fan-out in the event's own transaction: a committed event always has its deliveries,
    # a rolled-back one never does. Wildcards: "*" and "<prefix>.*".
    op.execute(
        """CREATE FUNCTION events_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
           DECLARE n integer;
           BEGIN
             INSERT INTO webhook_deliveries
                    (tenant_id, endpoint_id, event_seq, topic, ordering_key, payload, event_at)
             SELECT NEW.tenant_id, e.id, NEW.seq, NEW.topic,
                    coalesce(NEW.payload->>'customerId', ''), NEW.payload, NEW.created_at
               FROM webhook_endpoints e
              WHERE e.tenant_id = NEW.tenant_id AND e.status = 'ACTIVE'
                AND (NEW.topic = ANY(e.event_types) OR '*' = ANY(e.event_types)
                     OR split_part(NEW.topic, '.', 1) || '.*' = ANY(e.event_types))
             ON CONFLICT DO NOTHING;
             GET DIAGNOSTICS n = ROW_COUNT;
             IF n > 0 THEN
               PERFORM pg_notify('credit_webhooks', NEW.tenant_id::text);
             END IF;
             RETURN NULL;
           END $$"""
    )
    op.execute(
        """CREATE TRIGGER events_webhooks AFTER INSERT ON events
           FOR EACH ROW EXECUTE FUNCTION events_webhooks()"""
    )
    # The dispatcher (no tenant of its own) finds endpoints with deliveries due.
    op.execute(
        """CREATE FUNCTION due_webhook_endpoints(p_limit integer)
           RETURNS TABLE(tenant_id uuid, endpoint_id uuid)
           LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
           $$ SELECT DISTINCT d.tenant_id, d.endpoint_id FROM webhook_deliveries d
               WHERE d.status = 'PENDING' AND d.next_attempt_at <= now()
               LIMIT p_limit $$"""
    )
    op.execute(f"GRANT EXECUTE ON FUNCTION due_webhook_endpoints(integer) TO {role}")


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS due_webhook_endpoints(integer)")
    op.execute("DROP TRIGGER IF EXISTS events_webhooks ON events")
    op.execute("DROP FUNCTION IF EXISTS events_webhooks()")
    for table in reversed(TABLES):
        op.drop_table(table)
