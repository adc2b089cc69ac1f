"""Risk transfer, part B: credit insurance (policies, buyer covers, the policy clock, overdue
notifications, declarations, claims) and factoring (agreements, debtor limits, assignments, the
factoring sub-ledger, factor statements), and the PDFs both keep as sent.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

#: Every table, in creation order (dropped in reverse).
TABLES = (
    "factoring_agreements",
    "insurance_policies",
    "buyer_covers",
    "factor_statements",
    "factoring_batches",
    "factoring_debtor_limits",
    "insurance_claims",
    "insurance_declarations",
    "insurer_actions",
    "insurer_notifications",
    "risk_documents",
    "claim_lines",
    "claim_movements",
    "cover_decisions",
    "factor_statement_lines",
    "factored_invoices",
    "insurance_notices",
    "insurer_notification_lines",
    "risk_document_pdfs",
    "factoring_entries",
)
#: Facts the application adds but never edits or deletes.
APPEND_ONLY = (
    "cover_decisions",
    "insurance_notices",
    "insurer_notification_lines",
    "claim_movements",
    "factoring_entries",
    "factor_statement_lines",
    "risk_document_pdfs",
)


def upgrade() -> None:
    op.create_table(
        "insurance_notices",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("deadline", sa.Text(), nullable=False),
        sa.Column("stage", sa.Text(), nullable=False),
        sa.Column("policy_id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.CheckConstraint(
            "deadline IN ('NOTIFICATION','STOP_DELIVERY','CLAIM','DELIVERY')",
            name=op.f("ck_insurance_notices_deadline_known"),
        ),
        sa.CheckConstraint(
            "due_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31' AND recorded_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_insurance_notices_dates_in_range"),
        ),
        sa.CheckConstraint(
            "stage IN ('WARNED','MISSED')", name=op.f("ck_insurance_notices_stage_known")
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "invoice_id", "deadline", "stage", name=op.f("pk_insurance_notices")
        ),
    )
    op.create_table(
        "factoring_agreements",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("factor", sa.Text(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("recourse", sa.Boolean(), nullable=False),
        sa.Column("disclosed", sa.Boolean(), nullable=False),
        sa.Column("currencies", postgresql.ARRAY(sa.CHAR(length=3)), nullable=False),
        sa.Column("advance_percent", sa.Numeric(precision=9, scale=4), nullable=False),
        sa.Column("commission_percent", sa.Numeric(precision=9, scale=4), nullable=False),
        sa.Column("interest_percent", sa.Numeric(precision=9, scale=4), nullable=False),
        sa.Column("max_terms_days", sa.Integer(), nullable=False),
        sa.Column("allowed_classes", postgresql.ARRAY(sa.CHAR(length=1)), nullable=False),
        sa.Column("recourse_days", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column(
            "remittance",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "cardinality(allowed_classes) BETWEEN 1 AND 4 AND allowed_classes <@ ARRAY['A','B','C','D']::char(1)[]",
            name=op.f("ck_factoring_agreements_classes_known"),
        ),
        sa.CheckConstraint(
            "recourse OR allowed_classes <@ ARRAY['A','B']::char(1)[]",
            name=op.f("ck_factoring_agreements_risky_only_recourse"),
        ),
        sa.CheckConstraint(
            "starts_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_factoring_agreements_dates_in_range"),
        ),
        sa.CheckConstraint(
            "advance_percent BETWEEN 0 AND 100 AND commission_percent BETWEEN 0 AND 100 AND interest_percent BETWEEN 0 AND 100",
            name=op.f("ck_factoring_agreements_percents_in_range"),
        ),
        sa.CheckConstraint(
            "cardinality(currencies) BETWEEN 1 AND 10",
            name=op.f("ck_factoring_agreements_currencies_count"),
        ),
        sa.CheckConstraint(
            "char_length(factor) BETWEEN 1 AND 200",
            name=op.f("ck_factoring_agreements_factor_length"),
        ),
        sa.CheckConstraint(
            "char_length(reference) BETWEEN 1 AND 100",
            name=op.f("ck_factoring_agreements_reference_length"),
        ),
        sa.CheckConstraint(
            "max_terms_days BETWEEN 0 AND 3650 AND recourse_days BETWEEN 0 AND 3650",
            name=op.f("ck_factoring_agreements_days_in_range"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_factoring_agreements_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_factoring_agreements")),
        sa.UniqueConstraint(
            "tenant_id", "reference", name=op.f("uq_factoring_agreements_tenant_id_reference")
        ),
    )
    op.create_table(
        "insurance_policies",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("insurer", sa.Text(), nullable=False),
        sa.Column("policy_number", sa.Text(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("indemnity_percent", sa.Numeric(precision=9, scale=4), nullable=False),
        sa.Column("max_liability_minor", sa.BigInteger(), nullable=False),
        sa.Column("deductible_minor", sa.BigInteger(), nullable=False),
        sa.Column("deductible_kind", sa.Text(), nullable=False),
        sa.Column("max_credit_days", sa.Integer(), nullable=False),
        sa.Column("notification_days", sa.Integer(), nullable=False),
        sa.Column("max_extension_days", sa.Integer(), nullable=False),
        sa.Column("claim_filing_days", sa.Integer(), nullable=False),
        sa.Column("premium_rate_percent", sa.Numeric(precision=9, scale=4), nullable=False),
        sa.Column("recovery_share_percent", sa.Numeric(precision=9, scale=4), nullable=False),
        sa.Column("cover_required", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "deductible_kind IN ('PER_CLAIM','AGGREGATE')",
            name=op.f("ck_insurance_policies_deductible_known"),
        ),
        sa.CheckConstraint(
            "starts_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31' AND ends_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_insurance_policies_dates_in_range"),
        ),
        sa.CheckConstraint(
            "char_length(insurer) BETWEEN 1 AND 200",
            name=op.f("ck_insurance_policies_insurer_length"),
        ),
        sa.CheckConstraint(
            "char_length(policy_number) BETWEEN 1 AND 100",
            name=op.f("ck_insurance_policies_policy_number_length"),
        ),
        sa.CheckConstraint(
            "ends_on >= starts_on", name=op.f("ck_insurance_policies_period_ordered")
        ),
        sa.CheckConstraint(
            "indemnity_percent BETWEEN 0 AND 100 AND premium_rate_percent BETWEEN 0 AND 100 AND recovery_share_percent BETWEEN 0 AND 100",
            name=op.f("ck_insurance_policies_percents_in_range"),
        ),
        sa.CheckConstraint(
            "max_credit_days BETWEEN 1 AND 3650 AND notification_days BETWEEN 0 AND 3650 AND max_extension_days BETWEEN 0 AND 3650 AND claim_filing_days BETWEEN notification_days AND 3650",
            name=op.f("ck_insurance_policies_days_in_range"),
        ),
        sa.CheckConstraint(
            "max_liability_minor > 0 AND deductible_minor >= 0",
            name=op.f("ck_insurance_policies_amounts_in_range"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_insurance_policies_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_insurance_policies")),
        sa.UniqueConstraint(
            "tenant_id", "policy_number", name=op.f("uq_insurance_policies_tenant_id_policy_number")
        ),
    )
    op.create_table(
        "buyer_covers",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("policy_id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("requested_minor", sa.BigInteger(), nullable=False),
        sa.Column("limit_minor", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "effective_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_buyer_covers_dates_in_range"),
        ),
        sa.CheckConstraint(
            "status IN ('REQUESTED','GRANTED','REDUCED','CANCELLED','REFUSED')",
            name=op.f("ck_buyer_covers_status_known"),
        ),
        sa.CheckConstraint(
            "requested_minor > 0 AND limit_minor >= 0",
            name=op.f("ck_buyer_covers_amounts_in_range"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_buyer_covers_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "policy_id"],
            ["insurance_policies.tenant_id", "insurance_policies.id"],
            name=op.f("fk_buyer_covers_tenant_id_policy_id_insurance_policies"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_buyer_covers_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_buyer_covers")),
        sa.UniqueConstraint(
            "tenant_id",
            "policy_id",
            "customer_id",
            name=op.f("uq_buyer_covers_tenant_id_policy_id_customer_id"),
        ),
    )
    op.create_index(
        "ix_buyer_covers_customer", "buyer_covers", ["tenant_id", "customer_id"], unique=False
    )
    op.create_table(
        "factor_statements",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("agreement_id", sa.UUID(), nullable=False),
        sa.Column("statement_date", sa.Date(), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "statement_date BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_factor_statements_dates_in_range"),
        ),
        sa.CheckConstraint(
            "line_count BETWEEN 1 AND 50000", name=op.f("ck_factor_statements_count_in_range")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "agreement_id"],
            ["factoring_agreements.tenant_id", "factoring_agreements.id"],
            name=op.f("fk_factor_statements_tenant_id_agreement_id_factoring_agreements"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_factor_statements_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_factor_statements")),
    )
    op.create_table(
        "factoring_batches",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("agreement_id", sa.UUID(), nullable=False),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        sa.Column("invoice_count", sa.Integer(), nullable=False),
        sa.Column("currency_totals", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("document_id", sa.UUID(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "assigned_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_factoring_batches_dates_in_range"),
        ),
        sa.CheckConstraint(
            "invoice_count BETWEEN 1 AND 5000", name=op.f("ck_factoring_batches_count_in_range")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "agreement_id"],
            ["factoring_agreements.tenant_id", "factoring_agreements.id"],
            name=op.f("fk_factoring_batches_tenant_id_agreement_id_factoring_agreements"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_factoring_batches_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_factoring_batches")),
        sa.UniqueConstraint(
            "tenant_id",
            "id",
            "agreement_id",
            name=op.f("uq_factoring_batches_tenant_id_id_agreement_id"),
        ),
    )
    op.create_table(
        "factoring_debtor_limits",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("agreement_id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("limit_minor", sa.BigInteger(), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "limit_minor >= 0", name=op.f("ck_factoring_debtor_limits_limit_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "agreement_id"],
            ["factoring_agreements.tenant_id", "factoring_agreements.id"],
            name=op.f("fk_factoring_debtor_limits_tenant_id_agreement_id_factoring_agreements"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_factoring_debtor_limits_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_factoring_debtor_limits_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "agreement_id", "customer_id", name=op.f("pk_factoring_debtor_limits")
        ),
    )
    op.create_table(
        "insurance_claims",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("policy_id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("status", sa.Text(), server_default="FILED", nullable=False),
        sa.Column("open_minor", sa.BigInteger(), nullable=False),
        sa.Column("covered_loss_minor", sa.BigInteger(), nullable=False),
        sa.Column("deductible_minor", sa.BigInteger(), nullable=False),
        sa.Column("indemnity_percent", sa.Numeric(precision=9, scale=4), nullable=False),
        sa.Column("cover_cap_minor", sa.BigInteger(), nullable=False),
        sa.Column("indemnity_minor", sa.BigInteger(), nullable=False),
        sa.Column("capped_by", sa.Text(), nullable=True),
        sa.Column("paid_minor", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("shared_minor", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("document_id", sa.UUID(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "filed_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_insurance_claims_dates_in_range"),
        ),
        sa.CheckConstraint(
            "status IN ('FILED','PAID','PARTLY_PAID','REJECTED')",
            name=op.f("ck_insurance_claims_status_known"),
        ),
        sa.CheckConstraint(
            "char_length(rejection_reason) <= 500", name=op.f("ck_insurance_claims_reason_length")
        ),
        sa.CheckConstraint(
            "covered_loss_minor >= 0 AND deductible_minor >= 0 AND indemnity_minor >= 0 AND paid_minor BETWEEN 0 AND indemnity_minor AND shared_minor BETWEEN 0 AND paid_minor",
            name=op.f("ck_insurance_claims_amounts_in_range"),
        ),
        sa.CheckConstraint(
            "indemnity_percent BETWEEN 0 AND 100",
            name=op.f("ck_insurance_claims_percents_in_range"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_insurance_claims_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "policy_id"],
            ["insurance_policies.tenant_id", "insurance_policies.id"],
            name=op.f("fk_insurance_claims_tenant_id_policy_id_insurance_policies"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_insurance_claims_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_insurance_claims")),
    )
    op.create_index(
        "ix_insurance_claims_policy", "insurance_claims", ["tenant_id", "policy_id"], unique=False
    )
    op.create_table(
        "insurance_declarations",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("policy_id", sa.UUID(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("invoice_count", sa.Integer(), nullable=False),
        sa.Column("insured_turnover_minor", sa.BigInteger(), nullable=False),
        sa.Column("premium_rate_percent", sa.Numeric(precision=9, scale=4), nullable=False),
        sa.Column("premium_minor", sa.BigInteger(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "period BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_insurance_declarations_dates_in_range"),
        ),
        sa.CheckConstraint(
            "extract(day FROM period) = 1", name=op.f("ck_insurance_declarations_period_is_a_month")
        ),
        sa.CheckConstraint(
            "invoice_count >= 0 AND insured_turnover_minor >= 0 AND premium_minor >= 0",
            name=op.f("ck_insurance_declarations_figures_not_negative"),
        ),
        sa.CheckConstraint(
            "premium_rate_percent BETWEEN 0 AND 100",
            name=op.f("ck_insurance_declarations_percents_in_range"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "policy_id"],
            ["insurance_policies.tenant_id", "insurance_policies.id"],
            name=op.f("fk_insurance_declarations_tenant_id_policy_id_insurance_policies"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_insurance_declarations_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_insurance_declarations")),
        sa.UniqueConstraint(
            "tenant_id",
            "policy_id",
            "period",
            name=op.f("uq_insurance_declarations_tenant_id_policy_id_period"),
        ),
    )
    op.create_table(
        "insurer_actions",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("policy_id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("completed_by", sa.Text(), nullable=True),
        sa.Column("warned_on", sa.Date(), nullable=True),
        sa.Column("missed_on", sa.Date(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "due_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31' AND coalesce(completed_on, due_on) BETWEEN DATE '1900-01-01' AND DATE '2199-12-31' AND coalesce(warned_on, due_on) BETWEEN DATE '1900-01-01' AND DATE '2199-12-31' AND coalesce(missed_on, due_on) BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_insurer_actions_dates_in_range"),
        ),
        sa.CheckConstraint(
            "char_length(description) BETWEEN 1 AND 500",
            name=op.f("ck_insurer_actions_description_length"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_insurer_actions_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "policy_id"],
            ["insurance_policies.tenant_id", "insurance_policies.id"],
            name=op.f("fk_insurer_actions_tenant_id_policy_id_insurance_policies"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_insurer_actions_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_insurer_actions")),
    )
    op.create_table(
        "insurer_notifications",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("policy_id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("notified_on", sa.Date(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("document_id", sa.UUID(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "notified_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_insurer_notifications_dates_in_range"),
        ),
        sa.CheckConstraint("total_minor > 0", name=op.f("ck_insurer_notifications_total_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_insurer_notifications_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "policy_id"],
            ["insurance_policies.tenant_id", "insurance_policies.id"],
            name=op.f("fk_insurer_notifications_tenant_id_policy_id_insurance_policies"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_insurer_notifications_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_insurer_notifications")),
    )
    op.create_table(
        "risk_documents",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("content", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('OVERDUE_NOTIFICATION','CLAIM_PACK','ASSIGNMENT_NOTICE')",
            name=op.f("ck_risk_documents_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_risk_documents_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_risk_documents_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_risk_documents")),
    )
    op.create_table(
        "claim_lines",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("claim_id", sa.UUID(), nullable=False),
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("open_minor", sa.BigInteger(), nullable=False),
        sa.Column("covered_minor", sa.BigInteger(), nullable=False),
        sa.Column("released", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.CheckConstraint(
            "covered_minor BETWEEN 0 AND open_minor", name=op.f("ck_claim_lines_covered_in_range")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "claim_id"],
            ["insurance_claims.tenant_id", "insurance_claims.id"],
            name=op.f("fk_claim_lines_tenant_id_claim_id_insurance_claims"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "invoice_id"],
            ["invoices.tenant_id", "invoices.id"],
            name=op.f("fk_claim_lines_tenant_id_invoice_id_invoices"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_claim_lines_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "claim_id", "invoice_id", name=op.f("pk_claim_lines")),
    )
    op.create_index(
        "uq_claim_lines_live_invoice",
        "claim_lines",
        ["tenant_id", "invoice_id"],
        unique=True,
        postgresql_where=sa.text("NOT released"),
    )
    op.create_table(
        "claim_movements",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("claim_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("insurer_minor", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("reference", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('INDEMNITY','RECOVERY')", name=op.f("ck_claim_movements_kind_known")
        ),
        sa.CheckConstraint(
            "on_date BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_claim_movements_dates_in_range"),
        ),
        sa.CheckConstraint(
            "amount_minor > 0 AND insurer_minor BETWEEN 0 AND amount_minor",
            name=op.f("ck_claim_movements_amounts_in_range"),
        ),
        sa.CheckConstraint(
            "char_length(reference) <= 200", name=op.f("ck_claim_movements_reference_length")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "claim_id"],
            ["insurance_claims.tenant_id", "insurance_claims.id"],
            name=op.f("fk_claim_movements_tenant_id_claim_id_insurance_claims"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_claim_movements_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_claim_movements")),
    )
    op.create_index(
        "ix_claim_movements_claim", "claim_movements", ["tenant_id", "claim_id"], unique=False
    )
    op.create_table(
        "cover_decisions",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("cover_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "effective_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_cover_decisions_dates_in_range"),
        ),
        sa.CheckConstraint(
            "status IN ('REQUESTED','GRANTED','REDUCED','CANCELLED','REFUSED')",
            name=op.f("ck_cover_decisions_status_known"),
        ),
        sa.CheckConstraint(
            "amount_minor >= 0", name=op.f("ck_cover_decisions_amount_not_negative")
        ),
        sa.CheckConstraint("char_length(note) <= 500", name=op.f("ck_cover_decisions_note_length")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "cover_id"],
            ["buyer_covers.tenant_id", "buyer_covers.id"],
            name=op.f("fk_cover_decisions_tenant_id_cover_id_buyer_covers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_cover_decisions_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "seq", name=op.f("pk_cover_decisions")),
    )
    op.create_index(
        "ix_cover_decisions_cover",
        "cover_decisions",
        ["tenant_id", "cover_id", "effective_on"],
        unique=False,
    )
    op.create_table(
        "factor_statement_lines",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("statement_id", sa.UUID(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("invoice_number", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "effective_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_factor_statement_lines_dates_in_range"),
        ),
        sa.CheckConstraint(
            "char_length(invoice_number) BETWEEN 1 AND 200",
            name=op.f("ck_factor_statement_lines_number_length"),
        ),
        sa.CheckConstraint(
            "char_length(kind) BETWEEN 1 AND 40", name=op.f("ck_factor_statement_lines_kind_length")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "statement_id"],
            ["factor_statements.tenant_id", "factor_statements.id"],
            name=op.f("fk_factor_statement_lines_tenant_id_statement_id_factor_statements"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_factor_statement_lines_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "statement_id", "line_no", name=op.f("pk_factor_statement_lines")
        ),
    )
    op.create_table(
        "factored_invoices",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("agreement_id", sa.UUID(), nullable=False),
        sa.Column("batch_id", sa.UUID(), nullable=False),
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("face_minor", sa.BigInteger(), nullable=False),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        sa.Column("prior_allocations", postgresql.ARRAY(sa.UUID()), nullable=False),
        sa.Column("status", sa.Text(), server_default="ACTIVE", nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "(status = 'ACTIVE') = (closed_on IS NULL)",
            name=op.f("ck_factored_invoices_closed_when_not_active"),
        ),
        sa.CheckConstraint(
            "assigned_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31' AND coalesce(closed_on, assigned_on) BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_factored_invoices_dates_in_range"),
        ),
        sa.CheckConstraint(
            "status IN ('ACTIVE','SETTLED','BOUGHT_BACK')",
            name=op.f("ck_factored_invoices_status_known"),
        ),
        sa.CheckConstraint("face_minor > 0", name=op.f("ck_factored_invoices_face_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "batch_id", "agreement_id"],
            [
                "factoring_batches.tenant_id",
                "factoring_batches.id",
                "factoring_batches.agreement_id",
            ],
            name=op.f("fk_factored_invoices_tenant_id_batch_id_agreement_id_factoring_batches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "invoice_id", "currency"],
            ["invoices.tenant_id", "invoices.id", "invoices.currency"],
            name=op.f("fk_factored_invoices_tenant_id_invoice_id_currency_invoices"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_factored_invoices")),
    )
    op.create_index(
        "ix_factored_invoices_agreement",
        "factored_invoices",
        ["tenant_id", "agreement_id", "status"],
        unique=False,
    )
    op.create_index(
        "ix_factored_invoices_customer",
        "factored_invoices",
        ["tenant_id", "customer_id"],
        unique=False,
    )
    op.create_index(
        "uq_factored_invoices_active",
        "factored_invoices",
        ["tenant_id", "invoice_id"],
        unique=True,
        postgresql_where=sa.text("status = 'ACTIVE'"),
    )
    op.create_table(
        "insurer_notification_lines",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("notification_id", sa.UUID(), nullable=False),
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("open_minor", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "open_minor > 0", name=op.f("ck_insurer_notification_lines_open_positive")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "invoice_id"],
            ["invoices.tenant_id", "invoices.id"],
            name=op.f("fk_insurer_notification_lines_tenant_id_invoice_id_invoices"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "notification_id"],
            ["insurer_notifications.tenant_id", "insurer_notifications.id"],
            name=op.f(
                "fk_insurer_notification_lines_tenant_id_notification_id_insurer_notifications"
            ),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_insurer_notification_lines_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "notification_id", "invoice_id", name=op.f("pk_insurer_notification_lines")
        ),
    )
    op.create_index(
        "ix_insurer_notification_lines_invoice",
        "insurer_notification_lines",
        ["tenant_id", "invoice_id"],
        unique=False,
    )
    op.create_table(
        "risk_document_pdfs",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("document_id", sa.UUID(), nullable=False),
        sa.Column("lang", sa.Text(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column(
            "rendered_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("lang IN ('zh-CN','en')", name=op.f("ck_risk_document_pdfs_lang_known")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "document_id"],
            ["risk_documents.tenant_id", "risk_documents.id"],
            name=op.f("fk_risk_document_pdfs_tenant_id_document_id_risk_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_risk_document_pdfs_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "document_id", "lang", name=op.f("pk_risk_document_pdfs")
        ),
    )
    op.create_table(
        "factoring_entries",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("agreement_id", sa.UUID(), nullable=False),
        sa.Column("assignment_id", sa.UUID(), nullable=False),
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("received_by", sa.Text(), nullable=True),
        sa.Column("allocation_id", sa.UUID(), nullable=True),
        sa.Column("reverses_seq", sa.BigInteger(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "(kind = 'COLLECTION') = (received_by IS NOT NULL) AND received_by IN ('FACTOR','US')",
            name=op.f("ck_factoring_entries_collection_receiver"),
        ),
        sa.CheckConstraint(
            "amount_minor >= 0 OR (allocation_id IS NOT NULL AND kind IN ('COLLECTION','DILUTION'))",
            name=op.f("ck_factoring_entries_negative_only_as_reversal"),
        ),
        sa.CheckConstraint(
            "effective_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_factoring_entries_dates_in_range"),
        ),
        sa.CheckConstraint(
            "kind IN ('ASSIGNMENT','ADVANCE','RESERVE','COMMISSION','INTEREST','COLLECTION','DILUTION','REMITTANCE','RESERVE_RELEASE','SHORTFALL','BUYBACK')",
            name=op.f("ck_factoring_entries_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "assignment_id"],
            ["factored_invoices.tenant_id", "factored_invoices.id"],
            name=op.f("fk_factoring_entries_tenant_id_assignment_id_factored_invoices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "seq", name=op.f("pk_factoring_entries")),
    )
    op.create_index(
        "ix_factoring_entries_agreement",
        "factoring_entries",
        ["tenant_id", "agreement_id", "effective_on"],
        unique=False,
    )
    op.create_index(
        "ix_factoring_entries_assignment",
        "factoring_entries",
        ["tenant_id", "assignment_id", "effective_on"],
        unique=False,
    )
    op.create_index(
        "uq_factoring_entries_allocation",
        "factoring_entries",
        ["tenant_id", "allocation_id"],
        unique=True,
        postgresql_where=sa.text("allocation_id IS NOT NULL"),
    )

    role = op.get_context().opts["app_role"]
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} USING "
            "(tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()))"
        )
        grant = "SELECT, INSERT" if table in APPEND_ONLY else "SELECT, INSERT, UPDATE"
        op.execute(f"GRANT {grant} ON {table} TO {role}")
    op.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")  # identity columns


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
