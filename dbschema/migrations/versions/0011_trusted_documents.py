"""Trusted documents: operations a tenant registered by hash (persisted queries).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trusted_documents",
        sa.Column("tenant_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "id ~ '^sha256:[0-9a-f]{64}$'", name=op.f("ck_trusted_documents_id_is_sha256")
        ),
        sa.CheckConstraint(
            "char_length(body) BETWEEN 1 AND 100000", name=op.f("ck_trusted_documents_body_length")
        ),
        sa.CheckConstraint(
            "char_length(name) BETWEEN 1 AND 200", name=op.f("ck_trusted_documents_name_length")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            ondelete="CASCADE",
            name=op.f("fk_trusted_documents_tenant_id_tenants"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_trusted_documents")),
    )
    role = op.get_context().opts["app_role"]
    op.execute("ALTER TABLE trusted_documents ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE trusted_documents FORCE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY tenant_isolation ON trusted_documents USING "
        "(tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()))"
    )
    # registered documents are immutable: no UPDATE; DELETE withdraws one
    op.execute(f"GRANT SELECT, INSERT, DELETE ON trusted_documents TO {role}")


def downgrade() -> None:
    op.drop_table("trusted_documents")
