"""Risk transfer, part A: guarantors, guarantees (covered invoices, notices of the guarantee
period and expiry, calls with their demand letters kept as sent, the guarantor's payments),
collateral with its re-appraisal notices, and the tenant's risk-security settings.

Revision ID: 0015
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0015"
down_revision = "0018"
branch_labels = None
depends_on = None

#: Every table, in creation order (dropped in reverse by downgrade).
TABLES = (
    "risk_security_settings",
    "collateral",
    "guarantors",
    "collateral_notices",
    "guarantees",
    "guarantee_calls",
    "guarantee_invoices",
    "guarantee_notices",
    "guarantee_payments",
    "guarantee_call_pdfs",
)
#: Facts the application adds but never edits or deletes.
APPEND_ONLY = (
    "collateral_notices",
    "guarantee_calls",
    "guarantee_notices",
    "guarantee_payments",
    "guarantee_call_pdfs",
)
#: Rows the application may delete: the invoices a guarantee names are replaced as a set.
DELETABLE = ("guarantee_invoices",)


def upgrade() -> None:
    op.create_table(
        "risk_security_settings",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("check_basis", sa.Text(), server_default="GROSS", nullable=False),
        sa.Column("provision_basis", sa.Text(), server_default="GROSS", nullable=False),
        sa.Column(
            "weights",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("expiry_warning_days", sa.Integer(), server_default="30", nullable=False),
        sa.Column("period_warning_days", sa.Integer(), server_default="30", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "check_basis IN ('GROSS','NET') AND provision_basis IN ('GROSS','NET')",
            name=op.f("ck_risk_security_settings_basis_known"),
        ),
        sa.CheckConstraint(
            "expiry_warning_days BETWEEN 0 AND 365 AND period_warning_days BETWEEN 0 AND 365",
            name=op.f("ck_risk_security_settings_days_in_range"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_risk_security_settings_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_risk_security_settings")),
    )
    op.create_table(
        "collateral",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("form", sa.Text(), nullable=False),
        sa.Column("asset_kind", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("appraised_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("appraised_on", sa.Date(), nullable=False),
        sa.Column("haircut_percent", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("registration_ref", sa.Text(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("status", sa.Text(), server_default="ACTIVE", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "(appraised_on IS NULL OR appraised_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31') AND (valid_from IS NULL OR valid_from BETWEEN DATE '1900-01-01' AND DATE '2199-12-31') AND (valid_to IS NULL OR valid_to BETWEEN DATE '1900-01-01' AND DATE '2199-12-31')",
            name=op.f("ck_collateral_dates_in_range"),
        ),
        sa.CheckConstraint(
            "asset_kind IN ('EQUIPMENT','PROPERTY','RECEIVABLES','INVENTORY','DEPOSIT')",
            name=op.f("ck_collateral_asset_known"),
        ),
        sa.CheckConstraint("form IN ('PLEDGE','MORTGAGE')", name=op.f("ck_collateral_form_known")),
        sa.CheckConstraint(
            "status IN ('ACTIVE','RELEASED')", name=op.f("ck_collateral_status_known")
        ),
        sa.CheckConstraint(
            "appraised_minor >= 0", name=op.f("ck_collateral_appraisal_not_negative")
        ),
        sa.CheckConstraint(
            "description IS NULL OR char_length(description) BETWEEN 1 AND 500",
            name=op.f("ck_collateral_description_length"),
        ),
        sa.CheckConstraint(
            "haircut_percent BETWEEN 0 AND 100", name=op.f("ck_collateral_haircut_in_range")
        ),
        sa.CheckConstraint(
            "reference IS NULL OR char_length(reference) BETWEEN 1 AND 100",
            name=op.f("ck_collateral_reference_length"),
        ),
        sa.CheckConstraint(
            "registration_ref IS NULL OR char_length(registration_ref) BETWEEN 1 AND 200",
            name=op.f("ck_collateral_registration_ref_length"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from",
            name=op.f("ck_collateral_validity_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_collateral_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_collateral_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_collateral")),
        sa.UniqueConstraint(
            "tenant_id", "reference", name=op.f("uq_collateral_tenant_id_reference")
        ),
    )
    op.create_index(
        "ix_collateral_customer", "collateral", ["tenant_id", "customer_id"], unique=False
    )
    op.create_table(
        "guarantors",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("identity_number", sa.Text(), nullable=True),
        sa.Column("relationship", sa.Text(), nullable=True),
        sa.Column("net_worth_minor", sa.BigInteger(), nullable=True),
        sa.Column("net_worth_currency", sa.CHAR(length=3), nullable=True),
        sa.Column("rating", sa.Text(), nullable=True),
        sa.Column(
            "documents",
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
        sa.CheckConstraint("kind IN ('COMPANY','PERSON')", name=op.f("ck_guarantors_kind_known")),
        sa.CheckConstraint(
            "(net_worth_minor IS NULL) = (net_worth_currency IS NULL) AND (net_worth_minor IS NULL OR net_worth_minor >= 0)",
            name=op.f("ck_guarantors_net_worth_whole"),
        ),
        sa.CheckConstraint(
            "identity_number IS NULL OR char_length(identity_number) BETWEEN 1 AND 64",
            name=op.f("ck_guarantors_identity_number_length"),
        ),
        sa.CheckConstraint(
            "name IS NULL OR char_length(name) BETWEEN 1 AND 200",
            name=op.f("ck_guarantors_name_length"),
        ),
        sa.CheckConstraint(
            "rating IS NULL OR char_length(rating) BETWEEN 1 AND 20",
            name=op.f("ck_guarantors_rating_length"),
        ),
        sa.CheckConstraint(
            "relationship IS NULL OR char_length(relationship) BETWEEN 1 AND 200",
            name=op.f("ck_guarantors_relationship_length"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_guarantors_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_guarantors_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_guarantors")),
    )
    op.create_table(
        "collateral_notices",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("collateral_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("noticed_on", sa.Date(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "(due_on IS NULL OR due_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31') AND (noticed_on IS NULL OR noticed_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31')",
            name=op.f("ck_collateral_notices_dates_in_range"),
        ),
        sa.CheckConstraint(
            "kind IN ('REAPPRAISAL_DUE','REAPPRAISAL_OVERDUE')",
            name=op.f("ck_collateral_notices_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "collateral_id"],
            ["collateral.tenant_id", "collateral.id"],
            name=op.f("fk_collateral_notices_tenant_id_collateral_id_collateral"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_collateral_notices_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_collateral_notices")),
        sa.UniqueConstraint(
            "tenant_id",
            "collateral_id",
            "kind",
            "due_on",
            name=op.f("uq_collateral_notices_tenant_id_collateral_id_kind_due_on"),
        ),
    )
    op.create_table(
        "guarantees",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("guarantor_id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("period_months", sa.Integer(), nullable=True),
        sa.Column("status", sa.Text(), server_default="ACTIVE", nullable=False),
        sa.Column("status_on", sa.Date(), nullable=True),
        sa.Column("status_note", sa.Text(), nullable=True),
        sa.Column(
            "documents",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "(valid_from IS NULL OR valid_from BETWEEN DATE '1900-01-01' AND DATE '2199-12-31') AND (valid_to IS NULL OR valid_to BETWEEN DATE '1900-01-01' AND DATE '2199-12-31') AND (status_on IS NULL OR status_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31')",
            name=op.f("ck_guarantees_dates_in_range"),
        ),
        sa.CheckConstraint(
            "kind IN ('GENERAL','JOINT_AND_SEVERAL','BANK_GUARANTEE','STANDBY_LC')",
            name=op.f("ck_guarantees_kind_known"),
        ),
        sa.CheckConstraint(
            "scope IN ('ALL_DEBTS','NAMED_INVOICES','UP_TO_AMOUNT')",
            name=op.f("ck_guarantees_scope_known"),
        ),
        sa.CheckConstraint(
            "status IN ('ACTIVE','CALLED','PAID','RELEASED','EXPIRED')",
            name=op.f("ck_guarantees_status_known"),
        ),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_guarantees_amount_positive")),
        sa.CheckConstraint(
            "period_months IS NULL OR period_months BETWEEN 1 AND 120",
            name=op.f("ck_guarantees_period_in_range"),
        ),
        sa.CheckConstraint(
            "reference IS NULL OR char_length(reference) BETWEEN 1 AND 100",
            name=op.f("ck_guarantees_reference_length"),
        ),
        sa.CheckConstraint(
            "status_note IS NULL OR char_length(status_note) BETWEEN 1 AND 2000",
            name=op.f("ck_guarantees_status_note_length"),
        ),
        sa.CheckConstraint("valid_to >= valid_from", name=op.f("ck_guarantees_validity_ordered")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_guarantees_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "guarantor_id"],
            ["guarantors.tenant_id", "guarantors.id"],
            name=op.f("fk_guarantees_tenant_id_guarantor_id_guarantors"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_guarantees_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_guarantees")),
        sa.UniqueConstraint(
            "tenant_id", "reference", name=op.f("uq_guarantees_tenant_id_reference")
        ),
    )
    op.create_index(
        "ix_guarantees_customer", "guarantees", ["tenant_id", "customer_id"], unique=False
    )
    op.create_table(
        "guarantee_calls",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("guarantee_id", sa.UUID(), nullable=False),
        sa.Column("called_on", sa.Date(), nullable=False),
        sa.Column("demanded_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("content", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("activity_id", sa.UUID(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "(called_on IS NULL OR called_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31')",
            name=op.f("ck_guarantee_calls_dates_in_range"),
        ),
        sa.CheckConstraint("demanded_minor > 0", name=op.f("ck_guarantee_calls_amount_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "guarantee_id"],
            ["guarantees.tenant_id", "guarantees.id"],
            name=op.f("fk_guarantee_calls_tenant_id_guarantee_id_guarantees"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_guarantee_calls_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_guarantee_calls")),
        sa.UniqueConstraint(
            "tenant_id", "guarantee_id", name=op.f("uq_guarantee_calls_tenant_id_guarantee_id")
        ),
    )
    op.create_table(
        "guarantee_invoices",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("guarantee_id", sa.UUID(), nullable=False),
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "guarantee_id"],
            ["guarantees.tenant_id", "guarantees.id"],
            name=op.f("fk_guarantee_invoices_tenant_id_guarantee_id_guarantees"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "invoice_id"],
            ["invoices.tenant_id", "invoices.id"],
            name=op.f("fk_guarantee_invoices_tenant_id_invoice_id_invoices"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_guarantee_invoices_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "guarantee_id", "invoice_id", name=op.f("pk_guarantee_invoices")
        ),
    )
    op.create_table(
        "guarantee_notices",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("guarantee_id", sa.UUID(), nullable=False),
        sa.Column("invoice_id", sa.UUID(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("noticed_on", sa.Date(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "(ends_on IS NULL OR ends_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31') AND (noticed_on IS NULL OR noticed_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31')",
            name=op.f("ck_guarantee_notices_dates_in_range"),
        ),
        sa.CheckConstraint(
            "kind IN ('PERIOD_LAPSING','PERIOD_LAPSED','EXPIRING','EXPIRED','PROPOSE_CALL','PROPOSE_RELEASE')",
            name=op.f("ck_guarantee_notices_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "guarantee_id"],
            ["guarantees.tenant_id", "guarantees.id"],
            name=op.f("fk_guarantee_notices_tenant_id_guarantee_id_guarantees"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_guarantee_notices_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_guarantee_notices")),
        sa.UniqueConstraint(
            "tenant_id",
            "guarantee_id",
            "invoice_id",
            "kind",
            "ends_on",
            name=op.f("uq_guarantee_notices_tenant_id_guarantee_id_invoice_id_kind_ends_on"),
            postgresql_nulls_not_distinct=True,
        ),
    )
    op.create_table(
        "guarantee_payments",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("payment_id", sa.UUID(), nullable=False),
        sa.Column("guarantee_id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "guarantee_id"],
            ["guarantees.tenant_id", "guarantees.id"],
            name=op.f("fk_guarantee_payments_tenant_id_guarantee_id_guarantees"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "payment_id"],
            ["payments.tenant_id", "payments.id"],
            name=op.f("fk_guarantee_payments_tenant_id_payment_id_payments"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_guarantee_payments_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "payment_id", name=op.f("pk_guarantee_payments")),
    )
    op.create_index(
        "ix_guarantee_payments_guarantee",
        "guarantee_payments",
        ["tenant_id", "guarantee_id"],
        unique=False,
    )
    op.create_table(
        "guarantee_call_pdfs",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("call_id", sa.UUID(), nullable=False),
        sa.Column("lang", sa.Text(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "lang IN ('zh-CN','en')", name=op.f("ck_guarantee_call_pdfs_lang_known")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "call_id"],
            ["guarantee_calls.tenant_id", "guarantee_calls.id"],
            name=op.f("fk_guarantee_call_pdfs_tenant_id_call_id_guarantee_calls"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_guarantee_call_pdfs_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "call_id", "lang", name=op.f("pk_guarantee_call_pdfs")
        ),
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
        if table in DELETABLE:
            grant += ", DELETE"
        op.execute(f"GRANT {grant} ON {table} TO {role}")


def downgrade() -> None:
    op.drop_table("guarantee_call_pdfs")
    op.drop_index("ix_guarantee_payments_guarantee", table_name="guarantee_payments")
    op.drop_table("guarantee_payments")
    op.drop_table("guarantee_notices")
    op.drop_table("guarantee_invoices")
    op.drop_table("guarantee_calls")
    op.drop_index("ix_guarantees_customer", table_name="guarantees")
    op.drop_table("guarantees")
    op.drop_table("collateral_notices")
    op.drop_table("guarantors")
    op.drop_index("ix_collateral_customer", table_name="collateral")
    op.drop_table("collateral")
    op.drop_table("risk_security_settings")
