"""Credit applications with their opinions, credit agreements and credit reviews.

Opinions are append-only (one per department, never edited). Applications, agreements and
reviews are working state: their status changes in place, each change audited, and the
decision itself is kept in the decision log with its snapshot.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from dbschema.checks import json_size, within_ceiling
from dbschema.credit_limit_tables import CURRENCY, DATE_WINDOW
from dbschema.ledger_tables import _created, _customer_fk, _id, _tenant
from dbschema.tables import NOW, metadata
from domain.credit.credit_agreements import MAX_DESCRIPTION, MAX_GUARANTEES

#: The longest guarantees an agreement takes, as JSON text: each description at most
#: MAX_DESCRIPTION characters, six apiece at worst when written as escapes ("\u0001"), plus
#: room for the kind and the largest amount (10 x 3,200: the domain's worst case is 31,150).
GUARANTEES_CHARS = MAX_GUARANTEES * (6 * MAX_DESCRIPTION + 200)


def _updated() -> list[sa.Column[object]]:
    return [
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    ]


credit_applications = sa.Table(
    "credit_applications",
    metadata,
    _tenant(),
    _id(),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("application_ref", sa.Text),
    sa.Column("status", sa.Text, nullable=False, server_default="PENDING"),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("requested_minor", sa.BigInteger, nullable=False),
    sa.Column("requested_terms_code", sa.Text),
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("valid_to", sa.Date),
    sa.Column("purpose", sa.Text, nullable=False),
    sa.Column("statement_ids", ARRAY(UUID(as_uuid=True)), nullable=False, server_default="{}"),
    sa.Column("record_ids", ARRAY(UUID(as_uuid=True)), nullable=False, server_default="{}"),
    sa.Column("required_opinions", ARRAY(sa.Text), nullable=False),
    sa.Column("submitted_on", sa.Date, nullable=False),
    sa.Column("sla_due_on", sa.Date, nullable=False),
    sa.Column("escalated_on", sa.Date),
    sa.Column("verdict", sa.Text),
    sa.Column("decided_by", sa.Text),
    sa.Column("decided_on", sa.Date),
    sa.Column("decision_reason", sa.Text),
    sa.Column("granted", JSONB),
    sa.Column("decision_id", UUID(as_uuid=True)),
    sa.Column("limit_request_id", UUID(as_uuid=True)),
    *_created(),
    *_updated(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _customer_fk(),
    sa.CheckConstraint(
        "status IN ('PENDING','APPROVED','COUNTER_OFFERED','REJECTED')", name="status_known"
    ),
    sa.CheckConstraint(
        "verdict IS NULL OR verdict IN ('APPROVE','COUNTER_OFFER','REJECT')", name="verdict_known"
    ),
    sa.CheckConstraint("(status = 'PENDING') = (verdict IS NULL)", name="decided_has_verdict"),
    sa.CheckConstraint("decided_by IS NULL OR decided_by <> created_by", name="four_eyes"),
    sa.CheckConstraint(f"currency {CURRENCY}", name="currency_format"),
    sa.CheckConstraint("requested_minor > 0", name="requested_positive"),
    sa.CheckConstraint(
        f"valid_from {DATE_WINDOW} AND (valid_to IS NULL OR valid_to {DATE_WINDOW})"
        f" AND submitted_on {DATE_WINDOW} AND sla_due_on {DATE_WINDOW}"
        f" AND coalesce(escalated_on, submitted_on) {DATE_WINDOW}"
        f" AND coalesce(decided_on, submitted_on) {DATE_WINDOW}",
        name="dates_plausible",
    ),
    sa.CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="period_ordered"),
    sa.CheckConstraint("length(purpose) BETWEEN 1 AND 2000", name="purpose_length"),
    sa.CheckConstraint(
        "decision_reason IS NULL OR length(decision_reason) BETWEEN 1 AND 2000",
        name="reason_length",
    ),
    sa.CheckConstraint(
        "application_ref IS NULL OR length(application_ref) BETWEEN 1 AND 100", name="ref_length"
    ),
    sa.CheckConstraint(
        "requested_terms_code IS NULL OR length(requested_terms_code) BETWEEN 1 AND 64",
        name="terms_length",
    ),
)
sa.Index(
    "ix_credit_applications_customer",
    credit_applications.c.tenant_id,
    credit_applications.c.customer_id,
    credit_applications.c.created_at.desc(),
)
sa.Index(
    "ix_credit_applications_pending",
    credit_applications.c.tenant_id,
    credit_applications.c.sla_due_on,
    postgresql_where=sa.text("status = 'PENDING'"),
)
sa.Index(
    "uq_credit_applications_ref",
    credit_applications.c.tenant_id,
    credit_applications.c.application_ref,
    unique=True,
    postgresql_where=sa.text("application_ref IS NOT NULL"),
)

credit_application_opinions = sa.Table(
    "credit_application_opinions",
    metadata,
    _tenant(),
    _id(),
    sa.Column("application_id", UUID(as_uuid=True), nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("recommendation", sa.Text, nullable=False),
    sa.Column("comment", sa.Text),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.ForeignKeyConstraint(
        ["tenant_id", "application_id"],
        ["credit_applications.tenant_id", "credit_applications.id"],
        ondelete="CASCADE",
    ),
    sa.UniqueConstraint("tenant_id", "application_id", "role", name="one_per_role"),
    sa.CheckConstraint("role IN ('FINANCE','SALES','LEGAL')", name="role_known"),
    sa.CheckConstraint(
        "recommendation IN ('SUPPORT','SUPPORT_WITH_CONDITIONS','OPPOSE')",
        name="recommendation_known",
    ),
    sa.CheckConstraint(
        "comment IS NULL OR length(comment) BETWEEN 1 AND 2000", name="comment_length"
    ),
)

credit_agreements = sa.Table(
    "credit_agreements",
    metadata,
    _tenant(),
    _id(),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("number", sa.Text),
    sa.Column("status", sa.Text, nullable=False, server_default="DRAFT"),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("limit_minor", sa.BigInteger, nullable=False),
    sa.Column("terms_code", sa.Text, nullable=False),
    sa.Column("late_interest_daily_rate", sa.Numeric(10, 8), nullable=False),
    sa.Column("guarantees", JSONB, nullable=False, server_default="[]"),
    sa.Column("dispute_venue", sa.Text, nullable=False),
    sa.Column("venue_name", sa.Text, nullable=False),
    sa.Column("signed_on", sa.Date),
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("valid_to", sa.Date, nullable=False),
    sa.Column("document_ref", sa.Text),
    sa.Column("application_id", UUID(as_uuid=True)),
    *_created(),
    *_updated(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _customer_fk(),
    sa.ForeignKeyConstraint(
        ["tenant_id", "application_id"],
        ["credit_applications.tenant_id", "credit_applications.id"],
    ),
    sa.CheckConstraint("status IN ('DRAFT','ACTIVE','EXPIRED','SUPERSEDED')", name="status_known"),
    sa.CheckConstraint("dispute_venue IN ('ARBITRATION','COURT')", name="venue_known"),
    sa.CheckConstraint(f"currency {CURRENCY}", name="currency_format"),
    sa.CheckConstraint("limit_minor > 0", name="limit_positive"),
    within_ceiling("limit_minor"),  # an agreement's limit, as the domain's (migration 0028)
    sa.CheckConstraint(
        "late_interest_daily_rate >= 0 AND late_interest_daily_rate < 0.01", name="rate_range"
    ),
    sa.CheckConstraint(
        f"valid_from {DATE_WINDOW} AND valid_to {DATE_WINDOW}"
        f" AND (signed_on IS NULL OR signed_on {DATE_WINDOW})",
        name="dates_plausible",
    ),
    sa.CheckConstraint("valid_to >= valid_from", name="period_ordered"),
    sa.CheckConstraint("(status = 'DRAFT') = (signed_on IS NULL)", name="signed_unless_draft"),
    sa.CheckConstraint("length(venue_name) BETWEEN 1 AND 200", name="venue_name_length"),
    sa.CheckConstraint("length(terms_code) BETWEEN 1 AND 64", name="terms_length"),
    sa.CheckConstraint("number IS NULL OR length(number) BETWEEN 1 AND 100", name="number_length"),
    sa.CheckConstraint(
        "document_ref IS NULL OR length(document_ref) BETWEEN 1 AND 500", name="ref_length"
    ),
    sa.CheckConstraint("jsonb_typeof(guarantees) = 'array'", name="guarantees_list"),
    json_size("guarantees", GUARANTEES_CHARS, MAX_GUARANTEES),
)
sa.Index(
    "ix_credit_agreements_customer",
    credit_agreements.c.tenant_id,
    credit_agreements.c.customer_id,
    credit_agreements.c.valid_to.desc(),
)
sa.Index(
    "ix_credit_agreements_active_end",
    credit_agreements.c.tenant_id,
    credit_agreements.c.valid_to,
    postgresql_where=sa.text("status = 'ACTIVE'"),
)

credit_reviews = sa.Table(
    "credit_reviews",
    metadata,
    _tenant(),
    _id(),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("trigger", sa.Text, nullable=False),
    #: what opened it (a due date, an agreement, an order, a class change): one review each
    sa.Column("source_ref", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="OPEN"),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("reviewed_on", sa.Date),
    sa.Column("checklist", JSONB),
    sa.Column("outcome", sa.Text),
    sa.Column("outcome_detail", JSONB),
    sa.Column("reason", sa.Text),
    sa.Column("decided_by", sa.Text),
    sa.Column("warned_on", sa.Date),
    *_created(),
    *_updated(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _customer_fk(),
    sa.UniqueConstraint("tenant_id", "customer_id", "trigger", "source_ref", name="one_per_cause"),
    sa.CheckConstraint(
        "trigger IN ('SCHEDULED','CLASS_DOWNGRADE','AGREEMENT_EXPIRY','LARGE_ORDER','MANUAL')",
        name="trigger_known",
    ),
    sa.CheckConstraint("status IN ('OPEN','DONE')", name="status_known"),
    sa.CheckConstraint(
        "outcome IS NULL OR outcome IN "
        "('KEEP','UPGRADE','DOWNGRADE','CHANGE_LIMIT','CHANGE_TERMS','HOLD')",
        name="outcome_known",
    ),
    sa.CheckConstraint(
        "(status = 'DONE') = (outcome IS NOT NULL AND reviewed_on IS NOT NULL)",
        name="done_has_outcome",
    ),
    sa.CheckConstraint(
        f"due_on {DATE_WINDOW} AND (reviewed_on IS NULL OR reviewed_on {DATE_WINDOW})"
        f" AND coalesce(warned_on, due_on) {DATE_WINDOW}",
        name="dates_plausible",
    ),
    sa.CheckConstraint("reason IS NULL OR length(reason) BETWEEN 1 AND 2000", name="reason_length"),
    sa.CheckConstraint("length(source_ref) BETWEEN 1 AND 100", name="source_length"),
)
sa.Index(
    "ix_credit_reviews_open_due",
    credit_reviews.c.tenant_id,
    credit_reviews.c.due_on,
    postgresql_where=sa.text("status = 'OPEN'"),
)
sa.Index(
    "ix_credit_reviews_customer",
    credit_reviews.c.tenant_id,
    credit_reviews.c.customer_id,
    credit_reviews.c.due_on.desc(),
)
