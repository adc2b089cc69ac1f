"""Receivables: ledger, collections, statements, provisions and write-offs, with RLS.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("operation", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("result", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_idempotency_keys_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "operation", "key", name=op.f("pk_idempotency_keys")),
    )
    op.create_table(
        "payment_terms",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("net_days", sa.Integer(), server_default="0", nullable=False),
        sa.Column("eom_plus_days", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "instalments",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
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
            "kind IN ('NET','END_OF_MONTH','INSTALMENTS')", name=op.f("ck_payment_terms_kind_known")
        ),
        sa.CheckConstraint(
            "net_days >= 0 AND eom_plus_days >= 0", name=op.f("ck_payment_terms_days_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_payment_terms_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_payment_terms")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_payment_terms_tenant_id_code")),
    )
    op.create_table(
        "provision_runs",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default="OPEN", nullable=False),
        sa.Column("totals", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint("basis IN ('AGE','DPD')", name=op.f("ck_provision_runs_basis_known")),
        sa.CheckConstraint(
            "status IN ('OPEN','CLOSED')", name=op.f("ck_provision_runs_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_provision_runs_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_provision_runs")),
        sa.UniqueConstraint(
            "tenant_id", "period_end", name=op.f("uq_provision_runs_tenant_id_period_end")
        ),
    )
    op.create_table(
        "activities",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("case_id", sa.UUID(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("document_ref", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('CALL','EMAIL','LETTER','VISIT','LEGAL','NOTE','REMINDER','DUNNING_LETTER','STATEMENT')",
            name=op.f("ck_activities_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_activities_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_activities_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_activities")),
    )
    op.create_index(
        "ix_activities_customer",
        "activities",
        ["tenant_id", "customer_id", "occurred_at"],
        unique=False,
    )
    op.create_table(
        "aging_snapshots",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("open_minor", sa.BigInteger(), nullable=False),
        sa.Column("overdue_minor", sa.BigInteger(), nullable=False),
        sa.Column("buckets", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("weighted_days_past_due", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_aging_snapshots_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_aging_snapshots_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "as_of", "customer_id", "currency", name=op.f("pk_aging_snapshots")
        ),
    )
    op.create_table(
        "bad_debt_cases",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("proposal_id", sa.UUID(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("lessons", sa.Text(), nullable=True),
        sa.Column("recovered_minor", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_bad_debt_cases_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_bad_debt_cases_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_bad_debt_cases")),
        sa.UniqueConstraint(
            "tenant_id", "proposal_id", name=op.f("uq_bad_debt_cases_tenant_id_proposal_id")
        ),
    )
    op.create_table(
        "collection_cases",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("stage", sa.Text(), nullable=False),
        sa.Column("owner_role", sa.Text(), nullable=False),
        sa.Column("next_action", sa.Text(), nullable=False),
        sa.Column("next_action_on", sa.Date(), nullable=False),
        sa.Column("days_overdue", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), server_default="OPEN", nullable=False),
        sa.Column(
            "opened_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('OPEN','CLOSED')", name=op.f("ck_collection_cases_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_collection_cases_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_collection_cases_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_collection_cases")),
    )
    op.create_index(
        "uq_collection_cases_open",
        "collection_cases",
        ["tenant_id", "customer_id"],
        unique=True,
        postgresql_where=sa.text("status = 'OPEN'"),
    )
    op.create_table(
        "invoices",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("external_id", sa.Text(), nullable=True),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("order_ref", sa.Text(), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("open_minor", sa.BigInteger(), nullable=False),
        sa.Column("disputed_minor", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("written_off_minor", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("salesperson", sa.Text(), nullable=True),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_invoices_amount_positive")),
        sa.CheckConstraint(
            "disputed_minor >= 0 AND disputed_minor <= amount_minor",
            name=op.f("ck_invoices_disputed_in_range"),
        ),
        sa.CheckConstraint("due_date >= issue_date", name=op.f("ck_invoices_due_after_issue")),
        sa.CheckConstraint(
            "open_minor >= 0 AND open_minor <= amount_minor", name=op.f("ck_invoices_open_in_range")
        ),
        sa.CheckConstraint(
            "written_off_minor >= 0", name=op.f("ck_invoices_written_off_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_invoices_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_invoices_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_invoices")),
        sa.UniqueConstraint(
            "tenant_id", "external_id", name=op.f("uq_invoices_tenant_id_external_id")
        ),
        sa.UniqueConstraint(
            "tenant_id", "id", "currency", name=op.f("uq_invoices_tenant_id_id_currency")
        ),
        sa.UniqueConstraint("tenant_id", "number", name=op.f("uq_invoices_tenant_id_number")),
    )
    op.create_index(
        "ix_invoices_customer_issue",
        "invoices",
        ["tenant_id", "customer_id", "issue_date"],
        unique=False,
    )
    op.create_index(
        "ix_invoices_open_due",
        "invoices",
        ["tenant_id", "customer_id", "due_date"],
        unique=False,
        postgresql_where=sa.text("open_minor > 0"),
    )
    op.create_table(
        "payment_plans",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("status", sa.Text(), server_default="ACTIVE", nullable=False),
        sa.Column("schedule", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("baseline_paid_minor", sa.BigInteger(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('ACTIVE','COMPLETED','DEFAULTED')",
            name=op.f("ck_payment_plans_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_payment_plans_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_payment_plans_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_payment_plans")),
    )
    op.create_table(
        "payments",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("external_id", sa.Text(), nullable=True),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("unallocated_minor", sa.BigInteger(), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), server_default="POSTED", nullable=False),
        sa.Column("reversed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reversal_reason", sa.Text(), nullable=True),
        sa.Column("is_recovery", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "method IN ('BANK_TRANSFER','CHEQUE','CASH','CARD','BILL','OTHER')",
            name=op.f("ck_payments_method_known"),
        ),
        sa.CheckConstraint(
            "status IN ('POSTED','REVERSED')", name=op.f("ck_payments_status_known")
        ),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_payments_amount_positive")),
        sa.CheckConstraint(
            "unallocated_minor >= 0 AND unallocated_minor <= amount_minor",
            name=op.f("ck_payments_unallocated_in_range"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_payments_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_payments_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_payments")),
        sa.UniqueConstraint(
            "tenant_id", "external_id", name=op.f("uq_payments_tenant_id_external_id")
        ),
        sa.UniqueConstraint(
            "tenant_id", "id", "currency", name=op.f("uq_payments_tenant_id_id_currency")
        ),
    )
    op.create_index(
        "ix_payments_customer",
        "payments",
        ["tenant_id", "customer_id", "received_on"],
        unique=False,
    )
    op.create_table(
        "promises",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("promised_on", sa.Date(), nullable=False),
        sa.Column("status", sa.Text(), server_default="OPEN", nullable=False),
        sa.Column("baseline_paid_minor", sa.BigInteger(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('OPEN','KEPT','BROKEN')", name=op.f("ck_promises_status_known")
        ),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_promises_amount_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_promises_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_promises_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_promises")),
    )
    op.create_table(
        "provision_lines",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("run_id", sa.UUID(), nullable=False),
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("open_minor", sa.BigInteger(), nullable=False),
        sa.Column("rate", sa.Numeric(precision=6, scale=4), nullable=False),
        sa.Column("provision_minor", sa.BigInteger(), nullable=False),
        sa.Column("previous_minor", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "run_id"],
            ["provision_runs.tenant_id", "provision_runs.id"],
            name=op.f("fk_provision_lines_tenant_id_run_id_provision_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_provision_lines_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "run_id", "invoice_id", name=op.f("pk_provision_lines")
        ),
    )
    op.create_index(
        "ix_provision_lines_customer",
        "provision_lines",
        ["tenant_id", "run_id", "customer_id"],
        unique=False,
    )
    op.create_table(
        "statements",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("opening_minor", sa.BigInteger(), nullable=False),
        sa.Column("closing_minor", sa.BigInteger(), nullable=False),
        sa.Column("content", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.Text(), server_default="GENERATED", nullable=False),
        sa.Column("status_by", sa.Text(), nullable=True),
        sa.Column("status_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status_note", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('GENERATED','SENT','CONFIRMED','DISPUTED')",
            name=op.f("ck_statements_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_statements_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_statements_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_statements")),
        sa.UniqueConstraint(
            "tenant_id",
            "customer_id",
            "period",
            "currency",
            name=op.f("uq_statements_tenant_id_customer_id_period_currency"),
        ),
    )
    op.create_table(
        "write_off_proposals",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "evidence",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("status", sa.Text(), server_default="PROPOSED", nullable=False),
        sa.Column("required_roles", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("idempotency_key", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('PROPOSED','APPROVED','POSTED','REJECTED')",
            name=op.f("ck_write_off_proposals_status_known"),
        ),
        sa.CheckConstraint("total_minor > 0", name=op.f("ck_write_off_proposals_total_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_write_off_proposals_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_write_off_proposals_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_write_off_proposals")),
    )
    op.create_table(
        "collection_tasks",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("case_id", sa.UUID(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.Text(), server_default="OPEN", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('OPEN','DONE')", name=op.f("ck_collection_tasks_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "case_id"],
            ["collection_cases.tenant_id", "collection_cases.id"],
            name=op.f("fk_collection_tasks_tenant_id_case_id_collection_cases"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_collection_tasks_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_collection_tasks")),
    )
    op.create_table(
        "credit_notes",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("external_id", sa.Text(), nullable=True),
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_credit_notes_amount_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_credit_notes_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "invoice_id", "currency"],
            ["invoices.tenant_id", "invoices.id", "invoices.currency"],
            name=op.f("fk_credit_notes_tenant_id_invoice_id_currency_invoices"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_credit_notes_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_credit_notes")),
        sa.UniqueConstraint(
            "tenant_id", "external_id", name=op.f("uq_credit_notes_tenant_id_external_id")
        ),
        sa.UniqueConstraint(
            "tenant_id", "id", "currency", name=op.f("uq_credit_notes_tenant_id_id_currency")
        ),
        sa.UniqueConstraint("tenant_id", "number", name=op.f("uq_credit_notes_tenant_id_number")),
    )
    op.create_table(
        "disputes",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default="OPEN", nullable=False),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('OPEN','RESOLVED','REJECTED')", name=op.f("ck_disputes_status_known")
        ),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_disputes_amount_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "invoice_id"],
            ["invoices.tenant_id", "invoices.id"],
            name=op.f("fk_disputes_tenant_id_invoice_id_invoices"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_disputes_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_disputes")),
    )
    op.create_table(
        "invoice_instalments",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_invoice_instalments_amount_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "invoice_id"],
            ["invoices.tenant_id", "invoices.id"],
            name=op.f("fk_invoice_instalments_tenant_id_invoice_id_invoices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_invoice_instalments_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "invoice_id", "seq", name=op.f("pk_invoice_instalments")
        ),
    )
    op.create_table(
        "reminders",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "invoice_id"],
            ["invoices.tenant_id", "invoices.id"],
            name=op.f("fk_reminders_tenant_id_invoice_id_invoices"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_reminders_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "invoice_id", "kind", name=op.f("pk_reminders")),
    )
    op.create_table(
        "write_off_approvals",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("proposal_id", sa.UUID(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("approver", sa.Text(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.CheckConstraint(
            "decision IN ('APPROVED','REJECTED')",
            name=op.f("ck_write_off_approvals_decision_known"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "proposal_id"],
            ["write_off_proposals.tenant_id", "write_off_proposals.id"],
            name=op.f("fk_write_off_approvals_tenant_id_proposal_id_write_off_proposals"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_write_off_approvals_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "proposal_id", "role", name=op.f("pk_write_off_approvals")
        ),
    )
    op.create_table(
        "write_off_lines",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("proposal_id", sa.UUID(), nullable=False),
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_write_off_lines_amount_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "invoice_id"],
            ["invoices.tenant_id", "invoices.id"],
            name=op.f("fk_write_off_lines_tenant_id_invoice_id_invoices"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "proposal_id"],
            ["write_off_proposals.tenant_id", "write_off_proposals.id"],
            name=op.f("fk_write_off_lines_tenant_id_proposal_id_write_off_proposals"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_write_off_lines_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "proposal_id", "invoice_id", name=op.f("pk_write_off_lines")
        ),
    )
    op.create_table(
        "allocations",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("payment_id", sa.UUID(), nullable=True),
        sa.Column("credit_note_id", sa.UUID(), nullable=True),
        sa.Column("write_off_id", sa.UUID(), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("reverses_id", sa.UUID(), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "(kind = 'PAYMENT') = (payment_id IS NOT NULL) AND (kind = 'CREDIT_NOTE') = (credit_note_id IS NOT NULL) AND (kind = 'WRITE_OFF') = (write_off_id IS NOT NULL)",
            name=op.f("ck_allocations_one_source"),
        ),
        sa.CheckConstraint(
            "kind IN ('PAYMENT','CREDIT_NOTE','WRITE_OFF')", name=op.f("ck_allocations_kind_known")
        ),
        sa.CheckConstraint(
            "(amount_minor < 0) = (reverses_id IS NOT NULL)",
            name=op.f("ck_allocations_negative_only_as_reversal"),
        ),
        sa.CheckConstraint("amount_minor <> 0", name=op.f("ck_allocations_amount_not_zero")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "credit_note_id", "currency"],
            ["credit_notes.tenant_id", "credit_notes.id", "credit_notes.currency"],
            name=op.f("fk_allocations_tenant_id_credit_note_id_currency_credit_notes"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "invoice_id", "currency"],
            ["invoices.tenant_id", "invoices.id", "invoices.currency"],
            name=op.f("fk_allocations_tenant_id_invoice_id_currency_invoices"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "payment_id", "currency"],
            ["payments.tenant_id", "payments.id", "payments.currency"],
            name=op.f("fk_allocations_tenant_id_payment_id_currency_payments"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_allocations_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_allocations")),
    )
    op.create_index(
        "ix_allocations_invoice", "allocations", ["tenant_id", "invoice_id"], unique=False
    )
    op.create_index(
        "ix_allocations_payment",
        "allocations",
        ["tenant_id", "payment_id"],
        unique=False,
        postgresql_where=sa.text("payment_id IS NOT NULL"),
    )
    op.add_column("customers", sa.Column("rating_class", sa.CHAR(length=1), nullable=True))
    op.add_column("customers", sa.Column("payment_terms_code", sa.Text(), nullable=True))
    op.add_column(
        "customers",
        sa.Column("late_interest_daily_rate", sa.Numeric(precision=10, scale=8), nullable=True),
    )
    op.create_check_constraint(
        op.f("ck_customers_rating_class_known"), "customers", "rating_class IN ('A','B','C','D')"
    )
    op.create_check_constraint(
        op.f("ck_customers_interest_rate_sane"),
        "customers",
        "late_interest_daily_rate >= 0 AND late_interest_daily_rate < 0.01",
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
    op.drop_constraint(op.f("ck_customers_interest_rate_sane"), "customers", type_="check")
    op.drop_constraint(op.f("ck_customers_rating_class_known"), "customers", type_="check")
    op.drop_column("customers", "late_interest_daily_rate")
    op.drop_column("customers", "payment_terms_code")
    op.drop_column("customers", "rating_class")
    op.drop_index(
        "ix_allocations_payment",
        table_name="allocations",
        postgresql_where=sa.text("payment_id IS NOT NULL"),
    )
    op.drop_index("ix_allocations_invoice", table_name="allocations")
    op.drop_table("allocations")
    op.drop_table("write_off_lines")
    op.drop_table("write_off_approvals")
    op.drop_table("reminders")
    op.drop_table("invoice_instalments")
    op.drop_table("disputes")
    op.drop_table("credit_notes")
    op.drop_table("collection_tasks")
    op.drop_table("write_off_proposals")
    op.drop_table("statements")
    op.drop_index("ix_provision_lines_customer", table_name="provision_lines")
    op.drop_table("provision_lines")
    op.drop_table("promises")
    op.drop_index("ix_payments_customer", table_name="payments")
    op.drop_table("payments")
    op.drop_table("payment_plans")
    op.drop_index(
        "ix_invoices_open_due", table_name="invoices", postgresql_where=sa.text("open_minor > 0")
    )
    op.drop_index("ix_invoices_customer_issue", table_name="invoices")
    op.drop_table("invoices")
    op.drop_index(
        "uq_collection_cases_open",
        table_name="collection_cases",
        postgresql_where=sa.text("status = 'OPEN'"),
    )
    op.drop_table("collection_cases")
    op.drop_table("bad_debt_cases")
    op.drop_table("aging_snapshots")
    op.drop_index("ix_activities_customer", table_name="activities")
    op.drop_table("activities")
    op.drop_table("provision_runs")
    op.drop_table("payment_terms")
    op.drop_table("idempotency_keys")


TABLES = (
    "payment_terms",
    "invoices",
    "invoice_instalments",
    "payments",
    "credit_notes",
    "allocations",
    "disputes",
    "idempotency_keys",
    "aging_snapshots",
    "provision_runs",
    "provision_lines",
    "write_off_proposals",
    "write_off_lines",
    "write_off_approvals",
    "bad_debt_cases",
    "statements",
    "collection_cases",
    "collection_tasks",
    "activities",
    "promises",
    "payment_plans",
    "reminders",
)
#: Facts the app may add but never edit: history changes by reversal, not by update.
APPEND_ONLY = ("allocations", "activities", "write_off_approvals", "invoice_instalments")
