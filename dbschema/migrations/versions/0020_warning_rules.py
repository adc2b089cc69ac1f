"""The warning rules engine: dedupe keys, lifecycle and SLA on warnings; rule settings and
responses per tenant.

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

NEW_COLUMNS = (
    sa.Column("rule_key", sa.Text(), server_default="", nullable=False),
    sa.Column("window_key", sa.Text(), server_default="", nullable=False),
    sa.Column("level_raised_at", sa.DateTime(timezone=True)),
    sa.Column("status_by", sa.Text()),
    sa.Column("status_at", sa.DateTime(timezone=True)),
    sa.Column("status_note", sa.Text()),
    sa.Column("feedback", sa.Text()),
    sa.Column("owner_role", sa.Text()),
    sa.Column("sla_due_at", sa.DateTime(timezone=True)),
    sa.Column("escalated_at", sa.DateTime(timezone=True)),
)


def _rls(table: str, grants: str) -> None:
    role = op.get_context().opts["app_role"]
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {table} USING "
        "(tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()))"
    )
    op.execute(f"GRANT {grants} ON {table} TO {role}")


def _uuid(name: str, default: bool = False) -> sa.Column[object]:
    return sa.Column(
        name,
        postgresql.UUID(as_uuid=True),
        server_default=sa.text("gen_random_uuid()") if default else None,
        nullable=False,
    )


def _jsonb(name: str, empty: str) -> sa.Column[object]:
    return sa.Column(
        name, postgresql.JSONB(), server_default=sa.text(f"'{empty}'::jsonb"), nullable=False
    )


def upgrade() -> None:
    for column in NEW_COLUMNS:
        op.add_column("warnings", column)
    op.drop_constraint("ck_warnings_status_known", "warnings")
    op.create_check_constraint(
        op.f("ck_warnings_status_known"),
        "warnings",
        "status IN ('OPEN','ACKNOWLEDGED','INVESTIGATING','RESOLVED','DISMISSED')",
    )
    op.create_check_constraint(
        op.f("ck_warnings_feedback_known"),
        "warnings",
        "feedback IS NULL OR feedback IN ('TRUE_ALARM','FALSE_ALARM')",
    )
    op.create_check_constraint(
        op.f("ck_warnings_keys_length"),
        "warnings",
        "length(rule_key) <= 200 AND length(window_key) <= 200",
    )
    op.create_check_constraint(
        op.f("ck_warnings_note_length"),
        "warnings",
        "status_note IS NULL OR length(status_note) <= 2000",
    )
    op.drop_index("uq_warnings_open_per_kind", table_name="warnings")
    op.create_index(
        "uq_warnings_open_per_kind",
        "warnings",
        ["tenant_id", "customer_id", "kind", "rule_key"],
        unique=True,
        postgresql_where=sa.text("status = 'OPEN'"),
    )
    op.create_index(
        "ix_warnings_rule_window", "warnings", ["tenant_id", "kind", "customer_id", "window_key"]
    )

    op.create_table(
        "warning_settings",
        _uuid("tenant_id"),
        _jsonb("thresholds", "{}"),
        _jsonb("disabled", "[]"),
        _jsonb("downturn_industries", "[]"),
        _jsonb("responses", "{}"),
        _jsonb("sla_hours", "{}"),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "jsonb_typeof(thresholds) = 'object' AND jsonb_typeof(responses) = 'object' "
            "AND jsonb_typeof(sla_hours) = 'object'",
            name=op.f("ck_warning_settings_objects"),
        ),
        sa.CheckConstraint(
            "jsonb_typeof(disabled) = 'array' AND jsonb_typeof(downturn_industries) = 'array' "
            "AND jsonb_array_length(downturn_industries) <= 100",
            name=op.f("ck_warning_settings_arrays"),
        ),
        sa.CheckConstraint("version > 0", name=op.f("ck_warning_settings_version_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            ondelete="CASCADE",
            name=op.f("fk_warning_settings_tenant_id_tenants"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_warning_settings")),
    )
    _rls("warning_settings", "SELECT, INSERT, UPDATE")

    actions = "('TASK','TERMS_PROPOSAL','REVIEW_FORWARD','CREDIT_HOLD','NOTIFY_LEGAL')"
    op.create_table(
        "warning_responses",
        _uuid("tenant_id"),
        _uuid("id", default=True),
        _uuid("warning_id"),
        _uuid("customer_id"),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("level", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date()),
        _jsonb("details", "{}"),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("decided_by", sa.Text()),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("decision_note", sa.Text()),
        sa.CheckConstraint(f"action IN {actions}", name=op.f("ck_warning_responses_action_known")),
        sa.CheckConstraint(
            "status IN ('OPEN','DONE','PENDING','APPROVED','REJECTED')",
            name=op.f("ck_warning_responses_status_known"),
        ),
        sa.CheckConstraint(
            "level IN ('LIGHT','MEDIUM','SEVERE')", name=op.f("ck_warning_responses_level_known")
        ),
        sa.CheckConstraint(
            "decision_note IS NULL OR length(decision_note) <= 2000",
            name=op.f("ck_warning_responses_note_length"),
        ),
        sa.CheckConstraint(
            "due_on IS NULL OR due_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_warning_responses_due_on_in_range"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            ondelete="CASCADE",
            name=op.f("fk_warning_responses_tenant_id_tenants"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "warning_id"],
            ["warnings.tenant_id", "warnings.id"],
            ondelete="CASCADE",
            name=op.f("fk_warning_responses_tenant_id_warning_id_warnings"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_warning_responses_tenant_id_customer_id_customers"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_warning_responses")),
        sa.UniqueConstraint(
            "tenant_id",
            "warning_id",
            "action",
            name=op.f("uq_warning_responses_tenant_id_warning_id_action"),
        ),
    )
    op.create_index(
        "ix_warning_responses_open",
        "warning_responses",
        ["tenant_id", "role", "due_on"],
        postgresql_where=sa.text("status IN ('OPEN','PENDING')"),
    )
    _rls("warning_responses", "SELECT, INSERT, UPDATE")


def downgrade() -> None:
    op.drop_table("warning_responses")
    op.drop_table("warning_settings")
    op.drop_index("ix_warnings_rule_window", table_name="warnings")
    op.drop_index("uq_warnings_open_per_kind", table_name="warnings")
    op.execute("DELETE FROM warnings WHERE status NOT IN ('OPEN','ACKNOWLEDGED')")
    op.execute(
        "DELETE FROM warnings w USING warnings o WHERE w.status = 'OPEN' AND o.status = 'OPEN' "
        "AND o.tenant_id = w.tenant_id AND o.customer_id = w.customer_id AND o.kind = w.kind "
        "AND o.raised_at < w.raised_at"
    )
    op.create_index(
        "uq_warnings_open_per_kind",
        "warnings",
        ["tenant_id", "customer_id", "kind"],
        unique=True,
        postgresql_where=sa.text("status = 'OPEN'"),
    )
    for name in ("note_length", "keys_length", "feedback_known", "status_known"):
        op.drop_constraint(f"ck_warnings_{name}", "warnings")
    op.create_check_constraint(
        op.f("ck_warnings_status_known"), "warnings", "status IN ('OPEN','ACKNOWLEDGED')"
    )
    for column in reversed(NEW_COLUMNS):
        op.drop_column("warnings", column.name)
