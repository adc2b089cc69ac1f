"""Rendered statement PDFs, kept so a statement sent is the statement downloaded later.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statement_documents",
        sa.Column("tenant_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("statement_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("lang", sa.Text(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column(
            "rendered_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "lang IN ('zh-CN','en')", name=op.f("ck_statement_documents_lang_known")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            ondelete="CASCADE",
            name=op.f("fk_statement_documents_tenant_id_tenants"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "statement_id"],
            ["statements.tenant_id", "statements.id"],
            ondelete="CASCADE",
            name=op.f("fk_statement_documents_tenant_id_statement_id_statements"),
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "statement_id", "lang", name=op.f("pk_statement_documents")
        ),
    )
    role = op.get_context().opts["app_role"]
    op.execute("ALTER TABLE statement_documents ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE statement_documents FORCE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY tenant_isolation ON statement_documents USING "
        "(tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()))"
    )
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON statement_documents TO {role}")


def downgrade() -> None:
    op.drop_table("statement_documents")
