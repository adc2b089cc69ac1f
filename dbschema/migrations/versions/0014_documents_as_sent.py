"""Documents as sent: the archive (exact bytes, SHA-256 checked by the database), deliveries by
channel and recipient, letter numbers, each tenant's mail server, and activities that point at
the archived copy of what they record.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TABLES = ("sent_documents", "document_deliveries", "document_numbers", "smtp_settings")


def _tenant(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"],
        ["tenants.id"],
        ondelete="CASCADE",
        name=op.f(f"fk_{table}_tenant_id_tenants"),
    )


def upgrade() -> None:
    uuid = postgresql.UUID(as_uuid=True)
    now = sa.text("now()")
    new_id = sa.text("gen_random_uuid()")
    op.create_table(
        "sent_documents",
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("id", uuid, server_default=new_id, nullable=False),
        sa.Column("customer_id", uuid, nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("number", sa.Text()),
        sa.Column("lang", sa.Text(), nullable=False),
        sa.Column("media_type", sa.Text(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.CHAR(64), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("statement_id", uuid),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=now, nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('PRE_DUE_REMINDER', 'REMINDER', 'DEMAND', 'LAWYER', 'STATEMENT')",
            name=op.f("ck_sent_documents_kind_known"),
        ),
        sa.CheckConstraint("lang IN ('zh-CN','en')", name=op.f("ck_sent_documents_lang_known")),
        sa.CheckConstraint(
            "sha256 = encode(sha256(content), 'hex')", name=op.f("ck_sent_documents_digest_matches")
        ),
        sa.CheckConstraint(
            "octet_length(content) BETWEEN 1 AND 10485760",
            name=op.f("ck_sent_documents_content_size"),
        ),
        _tenant("sent_documents"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_sent_documents_tenant_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "statement_id"],
            ["statements.tenant_id", "statements.id"],
            name=op.f("fk_sent_documents_tenant_id_statements"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_sent_documents")),
    )
    op.create_index(
        "ix_sent_documents_customer",
        "sent_documents",
        ["tenant_id", "customer_id", "kind", "created_at"],
    )
    op.create_table(
        "document_deliveries",
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("id", uuid, server_default=new_id, nullable=False),
        sa.Column("document_id", uuid, nullable=False),
        sa.Column("customer_id", uuid, nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("recipient_name", sa.Text()),
        sa.Column("recipient_address", sa.Text(), nullable=False),
        sa.Column("lang", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default="PENDING", nullable=False),
        sa.Column("job_id", uuid),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text()),
        sa.Column("message_id", sa.Text()),
        sa.Column("server_reply", sa.Text()),
        sa.Column("message", sa.LargeBinary()),
        sa.Column("message_sha256", sa.CHAR(64)),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("failed_at", sa.DateTime(timezone=True)),
        sa.Column("activity_id", uuid),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=now, nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "channel IN ('EMAIL', 'POST', 'COURIER', 'HAND')",
            name=op.f("ck_document_deliveries_channel_known"),
        ),
        sa.CheckConstraint(
            "status IN ('PENDING','SENT','FAILED')",
            name=op.f("ck_document_deliveries_status_known"),
        ),
        sa.CheckConstraint(
            "status <> 'SENT' OR sent_at IS NOT NULL",
            name=op.f("ck_document_deliveries_sent_has_time"),
        ),
        sa.CheckConstraint(
            "message IS NULL OR message_sha256 = encode(sha256(message), 'hex')",
            name=op.f("ck_document_deliveries_message_digest_matches"),
        ),
        _tenant("document_deliveries"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "document_id"],
            ["sent_documents.tenant_id", "sent_documents.id"],
            name=op.f("fk_document_deliveries_tenant_id_sent_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_document_deliveries_tenant_id_customers"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_document_deliveries")),
    )
    op.create_index(
        "ix_document_deliveries_document", "document_deliveries", ["tenant_id", "document_id"]
    )
    op.create_index(
        "ix_document_deliveries_activity", "document_deliveries", ["tenant_id", "activity_id"]
    )
    op.create_table(
        "document_numbers",
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("series", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        _tenant("document_numbers"),
        sa.PrimaryKeyConstraint("tenant_id", "series", "year", name=op.f("pk_document_numbers")),
    )
    op.create_table(
        "smtp_settings",
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("host", sa.Text(), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("security", sa.Text(), nullable=False),
        sa.Column("username", sa.Text()),
        sa.Column("password", sa.Text()),
        sa.Column("from_address", sa.Text(), nullable=False),
        sa.Column("from_name", sa.Text()),
        sa.Column("reply_to", sa.Text()),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("updated_by", sa.Text()),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=now, nullable=False),
        sa.CheckConstraint(
            "security IN ('STARTTLS','TLS','NONE')", name=op.f("ck_smtp_settings_security_known")
        ),
        sa.CheckConstraint("port BETWEEN 1 AND 65535", name=op.f("ck_smtp_settings_port_range")),
        sa.CheckConstraint(
            "char_length(host) BETWEEN 1 AND 253", name=op.f("ck_smtp_settings_host_length")
        ),
        sa.CheckConstraint(
            "(username IS NULL) = (password IS NULL)", name=op.f("ck_smtp_settings_login_complete")
        ),
        _tenant("smtp_settings"),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_smtp_settings")),
    )
    op.add_column("activities", sa.Column("document_id", uuid))
    op.create_foreign_key(
        op.f("fk_activities_tenant_id_sent_documents"),
        "activities",
        "sent_documents",
        ["tenant_id", "document_id"],
        ["tenant_id", "id"],
    )
    role = op.get_context().opts["app_role"]
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} USING "
            "(tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()))"
        )
    op.execute(f"GRANT SELECT, INSERT ON sent_documents TO {role}")  # the archive is append-only
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON document_deliveries TO {role}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON document_numbers TO {role}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON smtp_settings TO {role}")


def downgrade() -> None:
    op.drop_constraint(op.f("fk_activities_tenant_id_sent_documents"), "activities")
    op.drop_column("activities", "document_id")
    for table in reversed(TABLES):
        op.drop_table(table)
