"""Credit applications and their opinions, credit agreements and credit reviews.

Opinions are append-only (the app role may only insert); applications, agreements and
reviews change status in place. CHECKs mirror the domain's ranges: dates in 1900-2199, an
agreement ending on or after its start, a late-interest rate from 0 to below 1% a day, the
applicant never the decider.

Revision ID: 0019
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0019"
down_revision = "0016"
branch_labels = None
depends_on = None

TABLES = (
    "credit_applications",
    "credit_application_opinions",
    "credit_agreements",
    "credit_reviews",
)
APPEND_ONLY = ("credit_application_opinions",)
#: The decision log learns two kinds: an application's decision and a review's outcome.
KINDS_BEFORE = "kind IN ('CREDIT_CHECK','LIMIT','LIMIT_EXPIRY','CLASS')"
KINDS_AFTER = "kind IN ('CREDIT_CHECK','LIMIT','LIMIT_EXPIRY','CLASS','APPLICATION','REVIEW')"


def upgrade() -> None:
    op.create_table(
        "credit_applications",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("application_ref", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), server_default="PENDING", nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("requested_minor", sa.BigInteger(), nullable=False),
        sa.Column("requested_terms_code", sa.Text(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column(
            "statement_ids", postgresql.ARRAY(sa.UUID()), server_default="{}", nullable=False
        ),
        sa.Column("record_ids", postgresql.ARRAY(sa.UUID()), server_default="{}", nullable=False),
        sa.Column("required_opinions", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("sla_due_on", sa.Date(), nullable=False),
        sa.Column("escalated_on", sa.Date(), nullable=True),
        sa.Column("verdict", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("granted", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("decision_id", sa.UUID(), nullable=True),
        sa.Column("limit_request_id", sa.UUID(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "(status = 'PENDING') = (verdict IS NULL)",
            name=op.f("ck_credit_applications_decided_has_verdict"),
        ),
        sa.CheckConstraint(
            "currency ~ '^[A-Z]{3}$'", name=op.f("ck_credit_applications_currency_format")
        ),
        sa.CheckConstraint(
            "status IN ('PENDING','APPROVED','COUNTER_OFFERED','REJECTED')",
            name=op.f("ck_credit_applications_status_known"),
        ),
        sa.CheckConstraint(
            "valid_from BETWEEN DATE '1900-01-01' AND DATE '2199-12-31' AND (valid_to IS NULL OR valid_to BETWEEN DATE '1900-01-01' AND DATE '2199-12-31') AND submitted_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31' AND sla_due_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'"
            " AND coalesce(escalated_on, submitted_on) BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'"
            " AND coalesce(decided_on, submitted_on) BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_credit_applications_dates_plausible"),
        ),
        sa.CheckConstraint(
            "verdict IS NULL OR verdict IN ('APPROVE','COUNTER_OFFER','REJECT')",
            name=op.f("ck_credit_applications_verdict_known"),
        ),
        sa.CheckConstraint(
            "application_ref IS NULL OR length(application_ref) BETWEEN 1 AND 100",
            name=op.f("ck_credit_applications_ref_length"),
        ),
        sa.CheckConstraint(
            "decided_by IS NULL OR decided_by <> created_by",
            name=op.f("ck_credit_applications_four_eyes"),
        ),
        sa.CheckConstraint(
            "decision_reason IS NULL OR length(decision_reason) BETWEEN 1 AND 2000",
            name=op.f("ck_credit_applications_reason_length"),
        ),
        sa.CheckConstraint(
            "length(purpose) BETWEEN 1 AND 2000", name=op.f("ck_credit_applications_purpose_length")
        ),
        sa.CheckConstraint(
            "requested_minor > 0", name=op.f("ck_credit_applications_requested_positive")
        ),
        sa.CheckConstraint(
            "requested_terms_code IS NULL OR length(requested_terms_code) BETWEEN 1 AND 64",
            name=op.f("ck_credit_applications_terms_length"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from",
            name=op.f("ck_credit_applications_period_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_credit_applications_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_credit_applications_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_credit_applications")),
    )
    op.create_index(
        "ix_credit_applications_customer",
        "credit_applications",
        ["tenant_id", "customer_id", sa.literal_column("created_at DESC")],
        unique=False,
    )
    op.create_index(
        "ix_credit_applications_pending",
        "credit_applications",
        ["tenant_id", "sla_due_on"],
        unique=False,
        postgresql_where=sa.text("status = 'PENDING'"),
    )
    op.create_index(
        "uq_credit_applications_ref",
        "credit_applications",
        ["tenant_id", "application_ref"],
        unique=True,
        postgresql_where=sa.text("application_ref IS NOT NULL"),
    )
    op.create_table(
        "credit_reviews",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("trigger", sa.Text(), nullable=False),
        sa.Column("source_ref", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default="OPEN", nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("checklist", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("outcome_detail", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("warned_on", sa.Date(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "(status = 'DONE') = (outcome IS NOT NULL AND reviewed_on IS NOT NULL)",
            name=op.f("ck_credit_reviews_done_has_outcome"),
        ),
        sa.CheckConstraint(
            "due_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31' AND (reviewed_on IS NULL OR reviewed_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31')"
            " AND coalesce(warned_on, due_on) BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_credit_reviews_dates_plausible"),
        ),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome IN ('KEEP','UPGRADE','DOWNGRADE','CHANGE_LIMIT','CHANGE_TERMS','HOLD')",
            name=op.f("ck_credit_reviews_outcome_known"),
        ),
        sa.CheckConstraint(
            "status IN ('OPEN','DONE')", name=op.f("ck_credit_reviews_status_known")
        ),
        sa.CheckConstraint(
            "trigger IN ('SCHEDULED','CLASS_DOWNGRADE','AGREEMENT_EXPIRY','LARGE_ORDER','MANUAL')",
            name=op.f("ck_credit_reviews_trigger_known"),
        ),
        sa.CheckConstraint(
            "length(source_ref) BETWEEN 1 AND 100", name=op.f("ck_credit_reviews_source_length")
        ),
        sa.CheckConstraint(
            "reason IS NULL OR length(reason) BETWEEN 1 AND 2000",
            name=op.f("ck_credit_reviews_reason_length"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_credit_reviews_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_credit_reviews_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_credit_reviews")),
        sa.UniqueConstraint(
            "tenant_id", "customer_id", "trigger", "source_ref", name="one_per_cause"
        ),
    )
    op.create_index(
        "ix_credit_reviews_customer",
        "credit_reviews",
        ["tenant_id", "customer_id", sa.literal_column("due_on DESC")],
        unique=False,
    )
    op.create_index(
        "ix_credit_reviews_open_due",
        "credit_reviews",
        ["tenant_id", "due_on"],
        unique=False,
        postgresql_where=sa.text("status = 'OPEN'"),
    )
    op.create_table(
        "credit_agreements",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("number", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), server_default="DRAFT", nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("limit_minor", sa.BigInteger(), nullable=False),
        sa.Column("terms_code", sa.Text(), nullable=False),
        sa.Column("late_interest_daily_rate", sa.Numeric(precision=10, scale=8), nullable=False),
        sa.Column(
            "guarantees",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
        ),
        sa.Column("dispute_venue", sa.Text(), nullable=False),
        sa.Column("venue_name", sa.Text(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("document_ref", sa.Text(), nullable=True),
        sa.Column("application_id", sa.UUID(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "(status = 'DRAFT') = (signed_on IS NULL)",
            name=op.f("ck_credit_agreements_signed_unless_draft"),
        ),
        sa.CheckConstraint(
            "currency ~ '^[A-Z]{3}$'", name=op.f("ck_credit_agreements_currency_format")
        ),
        sa.CheckConstraint(
            "dispute_venue IN ('ARBITRATION','COURT')",
            name=op.f("ck_credit_agreements_venue_known"),
        ),
        sa.CheckConstraint(
            "jsonb_typeof(guarantees) = 'array'", name=op.f("ck_credit_agreements_guarantees_list")
        ),
        sa.CheckConstraint(
            "status IN ('DRAFT','ACTIVE','EXPIRED','SUPERSEDED')",
            name=op.f("ck_credit_agreements_status_known"),
        ),
        sa.CheckConstraint(
            "valid_from BETWEEN DATE '1900-01-01' AND DATE '2199-12-31' AND valid_to BETWEEN DATE '1900-01-01' AND DATE '2199-12-31' AND (signed_on IS NULL OR signed_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31')",
            name=op.f("ck_credit_agreements_dates_plausible"),
        ),
        sa.CheckConstraint(
            "document_ref IS NULL OR length(document_ref) BETWEEN 1 AND 500",
            name=op.f("ck_credit_agreements_ref_length"),
        ),
        sa.CheckConstraint(
            "late_interest_daily_rate >= 0 AND late_interest_daily_rate < 0.01",
            name=op.f("ck_credit_agreements_rate_range"),
        ),
        sa.CheckConstraint(
            "length(terms_code) BETWEEN 1 AND 64", name=op.f("ck_credit_agreements_terms_length")
        ),
        sa.CheckConstraint(
            "length(venue_name) BETWEEN 1 AND 200",
            name=op.f("ck_credit_agreements_venue_name_length"),
        ),
        sa.CheckConstraint("limit_minor > 0", name=op.f("ck_credit_agreements_limit_positive")),
        sa.CheckConstraint(
            "number IS NULL OR length(number) BETWEEN 1 AND 100",
            name=op.f("ck_credit_agreements_number_length"),
        ),
        sa.CheckConstraint(
            "valid_to >= valid_from", name=op.f("ck_credit_agreements_period_ordered")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "application_id"],
            ["credit_applications.tenant_id", "credit_applications.id"],
            name=op.f("fk_credit_agreements_tenant_id_application_id_credit_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_credit_agreements_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_credit_agreements_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_credit_agreements")),
    )
    op.create_index(
        "ix_credit_agreements_active_end",
        "credit_agreements",
        ["tenant_id", "valid_to"],
        unique=False,
        postgresql_where=sa.text("status = 'ACTIVE'"),
    )
    op.create_index(
        "ix_credit_agreements_customer",
        "credit_agreements",
        ["tenant_id", "customer_id", sa.literal_column("valid_to DESC")],
        unique=False,
    )
    op.create_table(
        "credit_application_opinions",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("application_id", sa.UUID(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("recommendation", sa.Text(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "recommendation IN ('SUPPORT','SUPPORT_WITH_CONDITIONS','OPPOSE')",
            name=op.f("ck_credit_application_opinions_recommendation_known"),
        ),
        sa.CheckConstraint(
            "role IN ('FINANCE','SALES','LEGAL')",
            name=op.f("ck_credit_application_opinions_role_known"),
        ),
        sa.CheckConstraint(
            "comment IS NULL OR length(comment) BETWEEN 1 AND 2000",
            name=op.f("ck_credit_application_opinions_comment_length"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "application_id"],
            ["credit_applications.tenant_id", "credit_applications.id"],
            name=op.f(
                "fk_credit_application_opinions_tenant_id_application_id_credit_applications"
            ),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_credit_application_opinions_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_credit_application_opinions")),
        sa.UniqueConstraint("tenant_id", "application_id", "role", name="one_per_role"),
    )
    op.drop_constraint(op.f("ck_credit_decisions_kind_known"), "credit_decisions", type_="check")
    op.create_check_constraint(
        op.f("ck_credit_decisions_kind_known"), "credit_decisions", KINDS_AFTER
    )
    role = op.get_context().opts["app_role"]
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} USING (tenant_id = (SELECT app_tenant()))"
            " WITH CHECK (tenant_id = (SELECT app_tenant()))"
        )
        privileges = "SELECT, INSERT" if table in APPEND_ONLY else "SELECT, INSERT, UPDATE, DELETE"
        op.execute(f"GRANT {privileges} ON {table} TO {role}")


def downgrade() -> None:
    op.execute("DELETE FROM credit_decisions WHERE kind IN ('APPLICATION', 'REVIEW')")
    op.drop_constraint(op.f("ck_credit_decisions_kind_known"), "credit_decisions", type_="check")
    op.create_check_constraint(
        op.f("ck_credit_decisions_kind_known"), "credit_decisions", KINDS_BEFORE
    )
    op.drop_table("credit_application_opinions")
    op.drop_index("ix_credit_agreements_customer", table_name="credit_agreements")
    op.drop_index(
        "ix_credit_agreements_active_end",
        table_name="credit_agreements",
        postgresql_where=sa.text("status = 'ACTIVE'"),
    )
    op.drop_table("credit_agreements")
    op.drop_index(
        "ix_credit_reviews_open_due",
        table_name="credit_reviews",
        postgresql_where=sa.text("status = 'OPEN'"),
    )
    op.drop_index("ix_credit_reviews_customer", table_name="credit_reviews")
    op.drop_table("credit_reviews")
    op.drop_index(
        "uq_credit_applications_ref",
        table_name="credit_applications",
        postgresql_where=sa.text("application_ref IS NOT NULL"),
    )
    op.drop_index(
        "ix_credit_applications_pending",
        table_name="credit_applications",
        postgresql_where=sa.text("status = 'PENDING'"),
    )
    op.drop_index("ix_credit_applications_customer", table_name="credit_applications")
    op.drop_table("credit_applications")
