"""The warning rules engine's tables: a tenant's rule settings and the responses raised."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

from dbschema.ledger_tables import _customer_fk, _id, _tenant
from dbschema.tables import NOW, metadata

#: Response actions and statuses (domain.warning_rules.responses mirrors them).
ACTIONS = "('TASK','TERMS_PROPOSAL','REVIEW_FORWARD','CREDIT_HOLD','NOTIFY_LEGAL')"
RESPONSE_STATES = "('OPEN','DONE','PENDING','APPROVED','REJECTED')"

warning_settings = sa.Table(
    "warning_settings",
    metadata,
    sa.Column(
        "tenant_id",
        UUID(as_uuid=True),
        sa.ForeignKey("tenants.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("thresholds", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("disabled", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("downturn_industries", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("responses", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("sla_hours", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.Column("updated_by", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.CheckConstraint(
        "jsonb_typeof(thresholds) = 'object' AND jsonb_typeof(responses) = 'object' "
        "AND jsonb_typeof(sla_hours) = 'object'",
        name="objects",
    ),
    sa.CheckConstraint(
        "jsonb_typeof(disabled) = 'array' AND jsonb_typeof(downturn_industries) = 'array' "
        "AND jsonb_array_length(downturn_industries) <= 100",
        name="arrays",
    ),
    sa.CheckConstraint("version > 0", name="version_positive"),
)

warning_responses = sa.Table(
    "warning_responses",
    metadata,
    _tenant(),
    _id(),
    sa.Column("warning_id", UUID(as_uuid=True), nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("level", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("due_on", sa.Date),
    sa.Column("details", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.Column("decided_by", sa.Text),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("decision_note", sa.Text),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.ForeignKeyConstraint(
        ["tenant_id", "warning_id"], ["warnings.tenant_id", "warnings.id"], ondelete="CASCADE"
    ),
    _customer_fk(),
    sa.UniqueConstraint("tenant_id", "warning_id", "action"),
    sa.CheckConstraint(f"action IN {ACTIONS}", name="action_known"),
    sa.CheckConstraint(f"status IN {RESPONSE_STATES}", name="status_known"),
    sa.CheckConstraint("level IN ('LIGHT','MEDIUM','SEVERE')", name="level_known"),
    sa.CheckConstraint(
        "decision_note IS NULL OR length(decision_note) <= 2000", name="note_length"
    ),
    sa.CheckConstraint(
        "due_on IS NULL OR due_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
        name="due_on_in_range",
    ),
)
sa.Index(
    "ix_warning_responses_open",
    warning_responses.c.tenant_id,
    warning_responses.c.role,
    warning_responses.c.due_on,
    postgresql_where=sa.text("status IN ('OPEN','PENDING')"),
)
