"""Credit insurance tables: policies, buyer covers and their decisions, the insurer's required
actions, the policy clock's notices, overdue notifications and monthly declarations.

Decisions, notices and notification lines are append-only for the application role (granted
in migration 0016).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID

from dbschema.risk_transfer_columns import (
    PERCENT,
    _created,
    _dates,
    _fk,
    _id,
    _length,
    _percent,
    _tenant,
    _tenant_keyed,
)
from dbschema.tables import metadata

insurance_policies = sa.Table(
    "insurance_policies",
    metadata,
    _tenant(),
    _id(),
    sa.Column("insurer", sa.Text, nullable=False),
    sa.Column("policy_number", sa.Text, nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("starts_on", sa.Date, nullable=False),
    sa.Column("ends_on", sa.Date, nullable=False),
    sa.Column("indemnity_percent", PERCENT, nullable=False),
    sa.Column("max_liability_minor", sa.BigInteger, nullable=False),
    sa.Column("deductible_minor", sa.BigInteger, nullable=False),
    sa.Column("deductible_kind", sa.Text, nullable=False),
    sa.Column("max_credit_days", sa.Integer, nullable=False),
    sa.Column("notification_days", sa.Integer, nullable=False),
    sa.Column("max_extension_days", sa.Integer, nullable=False),
    sa.Column("claim_filing_days", sa.Integer, nullable=False),
    sa.Column("premium_rate_percent", PERCENT, nullable=False),
    sa.Column("recovery_share_percent", PERCENT, nullable=False),
    #: the tenant sells on credit to this policy's buyers only under cover: a cut or
    #: cancellation puts the customer on credit hold
    sa.Column("cover_required", sa.Boolean, nullable=False, server_default=sa.false()),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint("tenant_id", "policy_number"),
    _length("insurer", 200),
    _length("policy_number", 100),
    _dates("starts_on", "ends_on"),
    sa.CheckConstraint("ends_on >= starts_on", name="period_ordered"),
    _percent("indemnity_percent", "premium_rate_percent", "recovery_share_percent"),
    sa.CheckConstraint(
        "max_liability_minor > 0 AND deductible_minor >= 0", name="amounts_in_range"
    ),
    sa.CheckConstraint("deductible_kind IN ('PER_CLAIM','AGGREGATE')", name="deductible_known"),
    sa.CheckConstraint(
        "max_credit_days BETWEEN 1 AND 3650 AND notification_days BETWEEN 0 AND 3650"
        " AND max_extension_days BETWEEN 0 AND 3650"
        " AND claim_filing_days BETWEEN notification_days AND 3650",
        name="days_in_range",
    ),
)

buyer_covers = sa.Table(
    "buyer_covers",
    metadata,
    _tenant(),
    _id(),
    sa.Column("policy_id", UUID(as_uuid=True), nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("requested_minor", sa.BigInteger, nullable=False),
    sa.Column("limit_minor", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("effective_on", sa.Date, nullable=False),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint("tenant_id", "policy_id", "customer_id"),
    _fk(["policy_id"], "insurance_policies", ["id"]),
    _fk(["customer_id"], "customers", ["id"]),
    sa.CheckConstraint(
        "status IN ('REQUESTED','GRANTED','REDUCED','CANCELLED','REFUSED')", name="status_known"
    ),
    sa.CheckConstraint("requested_minor > 0 AND limit_minor >= 0", name="amounts_in_range"),
    _dates("effective_on"),
)
sa.Index("ix_buyer_covers_customer", buyer_covers.c.tenant_id, buyer_covers.c.customer_id)

cover_decisions = sa.Table(
    "cover_decisions",
    metadata,
    _tenant(),
    sa.Column("seq", sa.BigInteger, sa.Identity(), nullable=False),
    sa.Column("cover_id", UUID(as_uuid=True), nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("effective_on", sa.Date, nullable=False),
    sa.Column("note", sa.Text),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "seq"),
    _fk(["cover_id"], "buyer_covers", ["id"]),
    sa.CheckConstraint(
        "status IN ('REQUESTED','GRANTED','REDUCED','CANCELLED','REFUSED')", name="status_known"
    ),
    sa.CheckConstraint("amount_minor >= 0", name="amount_not_negative"),
    sa.CheckConstraint("char_length(note) <= 500", name="note_length"),
    _dates("effective_on"),
)
sa.Index(
    "ix_cover_decisions_cover",
    cover_decisions.c.tenant_id,
    cover_decisions.c.cover_id,
    cover_decisions.c.effective_on,
)

insurer_actions = sa.Table(
    "insurer_actions",
    metadata,
    _tenant(),
    _id(),
    sa.Column("policy_id", UUID(as_uuid=True), nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("completed_on", sa.Date),
    sa.Column("completed_by", sa.Text),
    #: when the daily job warned of it, and when it recorded it missed (each once)
    sa.Column("warned_on", sa.Date),
    sa.Column("missed_on", sa.Date),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _fk(["policy_id"], "insurance_policies", ["id"]),
    _fk(["customer_id"], "customers", ["id"]),
    _length("description", 500),
    _dates(
        "due_on",
        "coalesce(completed_on, due_on)",
        "coalesce(warned_on, due_on)",
        "coalesce(missed_on, due_on)",
    ),
)

insurance_notices = sa.Table(
    "insurance_notices",
    metadata,
    _tenant_keyed(),
    sa.Column("invoice_id", UUID(as_uuid=True), nullable=False),
    sa.Column("deadline", sa.Text, nullable=False),
    sa.Column("stage", sa.Text, nullable=False),
    sa.Column("policy_id", UUID(as_uuid=True), nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("recorded_on", sa.Date, nullable=False),
    #: no foreign keys: notices are the sweep's insert-once markers, taken from the tenant's own
    #: invoices and policies (never deleted; row-level security pins the tenant), and a first
    #: sweep over years of history records hundreds of thousands of them, where each key check
    #: per row doubled the statement's time
    sa.PrimaryKeyConstraint("tenant_id", "invoice_id", "deadline", "stage"),
    sa.CheckConstraint(
        "deadline IN ('NOTIFICATION','STOP_DELIVERY','CLAIM','DELIVERY')", name="deadline_known"
    ),
    sa.CheckConstraint("stage IN ('WARNED','MISSED')", name="stage_known"),
    _dates("due_on", "recorded_on"),
)

insurer_notifications = sa.Table(
    "insurer_notifications",
    metadata,
    _tenant(),
    _id(),
    sa.Column("policy_id", UUID(as_uuid=True), nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("notified_on", sa.Date, nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("total_minor", sa.BigInteger, nullable=False),
    sa.Column("document_id", UUID(as_uuid=True)),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _fk(["policy_id"], "insurance_policies", ["id"]),
    _fk(["customer_id"], "customers", ["id"]),
    sa.CheckConstraint("total_minor > 0", name="total_positive"),
    _dates("notified_on"),
)

insurer_notification_lines = sa.Table(
    "insurer_notification_lines",
    metadata,
    _tenant(),
    sa.Column("notification_id", UUID(as_uuid=True), nullable=False),
    sa.Column("invoice_id", UUID(as_uuid=True), nullable=False),
    sa.Column("open_minor", sa.BigInteger, nullable=False),
    sa.PrimaryKeyConstraint("tenant_id", "notification_id", "invoice_id"),
    _fk(["notification_id"], "insurer_notifications", ["id"]),
    _fk(["invoice_id"], "invoices", ["id"]),
    sa.CheckConstraint("open_minor > 0", name="open_positive"),
)
sa.Index(
    "ix_insurer_notification_lines_invoice",
    insurer_notification_lines.c.tenant_id,
    insurer_notification_lines.c.invoice_id,
)

insurance_declarations = sa.Table(
    "insurance_declarations",
    metadata,
    _tenant(),
    _id(),
    sa.Column("policy_id", UUID(as_uuid=True), nullable=False),
    sa.Column("period", sa.Date, nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("invoice_count", sa.Integer, nullable=False),
    sa.Column("insured_turnover_minor", sa.BigInteger, nullable=False),
    sa.Column("premium_rate_percent", PERCENT, nullable=False),
    sa.Column("premium_minor", sa.BigInteger, nullable=False),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint("tenant_id", "policy_id", "period"),
    _fk(["policy_id"], "insurance_policies", ["id"]),
    sa.CheckConstraint(
        "invoice_count >= 0 AND insured_turnover_minor >= 0 AND premium_minor >= 0",
        name="figures_not_negative",
    ),
    sa.CheckConstraint("extract(day FROM period) = 1", name="period_is_a_month"),
    _percent("premium_rate_percent"),
    _dates("period"),
)

#: Every table of this module, in creation order.
TABLES = (
    insurance_policies,
    buyer_covers,
    cover_decisions,
    insurer_actions,
    insurance_notices,
    insurer_notifications,
    insurer_notification_lines,
    insurance_declarations,
)
#: Facts the app adds but never edits: corrections are reversals or new entries.
APPEND_ONLY = (
    "cover_decisions",
    "insurance_notices",
    "insurer_notification_lines",
)
