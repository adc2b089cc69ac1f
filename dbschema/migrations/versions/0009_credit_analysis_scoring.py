"""Credit analysis and scoring: financial statements, external credit records, scorecard
versions, scores, class history and class overrides, with RLS.

Revision ID: 0009
Revises: 0006 (the lead re-chains it after 0007 and 0008)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scorecard_versions",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), server_default="DRAFT", nullable=False),
        sa.Column("definition", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
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
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("activated_by", sa.Text(), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(status = 'DRAFT') = (activated_at IS NULL)",
            name=op.f("ck_scorecard_versions_activated_unless_draft"),
        ),
        sa.CheckConstraint(
            "status IN ('DRAFT', 'ACTIVE', 'RETIRED')",
            name=op.f("ck_scorecard_versions_status_known"),
        ),
        sa.CheckConstraint(
            "coalesce(length(note), 0) <= 2000", name=op.f("ck_scorecard_versions_note_length")
        ),
        sa.CheckConstraint("number > 0", name=op.f("ck_scorecard_versions_number_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_scorecard_versions_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_scorecard_versions")),
        sa.UniqueConstraint(
            "tenant_id", "number", name=op.f("uq_scorecard_versions_tenant_id_number")
        ),
    )
    op.create_index(
        "uq_scorecard_versions_one_active",
        "scorecard_versions",
        ["tenant_id"],
        unique=True,
        postgresql_where=sa.text("status = 'ACTIVE'"),
    )
    op.create_table(
        "class_overrides",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("from_class", sa.CHAR(length=1), nullable=True),
        sa.Column("to_class", sa.CHAR(length=1), nullable=False),
        sa.Column("direction", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("requested_by", sa.Text(), nullable=False),
        sa.Column(
            "requested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(from_class IS NULL OR from_class IN ('A', 'B', 'C', 'D')) AND to_class IN ('A', 'B', 'C', 'D')",
            name=op.f("ck_class_overrides_classes_known"),
        ),
        sa.CheckConstraint(
            "(status = 'PENDING') = (decided_at IS NULL)",
            name=op.f("ck_class_overrides_decided_unless_pending"),
        ),
        sa.CheckConstraint(
            "direction IN ('INITIAL', 'UPGRADE', 'DOWNGRADE')",
            name=op.f("ck_class_overrides_direction_known"),
        ),
        sa.CheckConstraint(
            "status IN ('PENDING', 'APPLIED', 'REJECTED')",
            name=op.f("ck_class_overrides_status_known"),
        ),
        sa.CheckConstraint(
            "valid_until IS NULL OR valid_until BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_class_overrides_valid_until_sane"),
        ),
        sa.CheckConstraint(
            "length(reason) BETWEEN 1 AND 2000 AND coalesce(length(decision_note), 0) <= 2000",
            name=op.f("ck_class_overrides_text_lengths"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_class_overrides_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_class_overrides_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_class_overrides")),
    )
    op.create_index(
        "ix_class_overrides_customer",
        "class_overrides",
        ["tenant_id", "customer_id", "requested_at"],
        unique=False,
    )
    op.create_index(
        "uq_class_overrides_one_pending",
        "class_overrides",
        ["tenant_id", "customer_id"],
        unique=True,
        postgresql_where=sa.text("status = 'PENDING'"),
    )
    op.create_table(
        "credit_class_history",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("from_class", sa.CHAR(length=1), nullable=True),
        sa.Column("to_class", sa.CHAR(length=1), nullable=False),
        sa.Column("direction", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("score_id", sa.UUID(), nullable=True),
        sa.Column("override_id", sa.UUID(), nullable=True),
        sa.Column("proposed_terms", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "(from_class IS NULL OR from_class IN ('A', 'B', 'C', 'D')) AND to_class IN ('A', 'B', 'C', 'D')",
            name=op.f("ck_credit_class_history_classes_known"),
        ),
        sa.CheckConstraint(
            "direction IN ('INITIAL', 'UPGRADE', 'DOWNGRADE')",
            name=op.f("ck_credit_class_history_direction_known"),
        ),
        sa.CheckConstraint(
            "source IN ('SCORE', 'OVERRIDE', 'MANUAL', 'REVIEW')",
            name=op.f("ck_credit_class_history_source_known"),
        ),
        sa.CheckConstraint(
            "length(reason) BETWEEN 1 AND 2000", name=op.f("ck_credit_class_history_reason_length")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_credit_class_history_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_credit_class_history_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_credit_class_history")),
    )
    op.create_index(
        "ix_credit_class_history_customer",
        "credit_class_history",
        ["tenant_id", "customer_id", "seq"],
        unique=False,
    )
    op.create_table(
        "credit_external_records",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_ref", sa.Text(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("score", sa.Text(), nullable=True),
        sa.Column("assessment", sa.Text(), nullable=True),
        sa.Column("severity", sa.Text(), nullable=True),
        sa.Column("party", sa.Text(), nullable=True),
        sa.Column("legal_kind", sa.Text(), nullable=True),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("case_number", sa.Text(), nullable=True),
        sa.Column("court", sa.Text(), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.CHAR(length=3), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("fingerprint", sa.Text(), nullable=False),
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
        sa.CheckConstraint(
            "(kind = 'LEGAL_RECORD') = (legal_kind IS NOT NULL) AND (kind = 'LEGAL_RECORD') = (role IS NOT NULL) AND (kind = 'LEGAL_RECORD') = (status IS NOT NULL) AND (kind <> 'LEGAL_RECORD' OR (case_number IS NOT NULL AND court IS NOT NULL AND filed_on IS NOT NULL))",
            name=op.f("ck_credit_external_records_legal_fields"),
        ),
        sa.CheckConstraint(
            "assessment IS NULL OR assessment IN ('POSITIVE', 'NEUTRAL', 'NEGATIVE')",
            name=op.f("ck_credit_external_records_assessment_known"),
        ),
        sa.CheckConstraint(
            "kind IN ('BUREAU_REPORT', 'LEGAL_RECORD', 'NEGATIVE_NEWS', 'SITE_VISIT', 'BANK_REFERENCE')",
            name=op.f("ck_credit_external_records_kind_known"),
        ),
        sa.CheckConstraint(
            "legal_kind IS NULL OR legal_kind IN ('LAWSUIT', 'ARBITRATION', 'ENFORCEMENT', 'DISHONEST_DEBTOR')",
            name=op.f("ck_credit_external_records_legal_kind_known"),
        ),
        sa.CheckConstraint(
            "recorded_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31' AND (filed_on IS NULL OR filed_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31') AND (closed_on IS NULL OR closed_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31') AND (closed_on IS NULL OR filed_on IS NULL OR closed_on >= filed_on)",
            name=op.f("ck_credit_external_records_dates_sane"),
        ),
        sa.CheckConstraint(
            "role IS NULL OR role IN ('DEFENDANT', 'PLAINTIFF')",
            name=op.f("ck_credit_external_records_role_known"),
        ),
        sa.CheckConstraint(
            "severity IS NULL OR severity IN ('LOW', 'MEDIUM', 'HIGH')",
            name=op.f("ck_credit_external_records_severity_known"),
        ),
        sa.CheckConstraint(
            "status IS NULL OR (status IN ('OPEN', 'CLOSED') AND (status = 'OPEN' OR closed_on IS NOT NULL))",
            name=op.f("ck_credit_external_records_status_known"),
        ),
        sa.CheckConstraint(
            "(amount_minor IS NULL) = (currency IS NULL) AND coalesce(amount_minor, 0) >= 0",
            name=op.f("ck_credit_external_records_amount_sane"),
        ),
        sa.CheckConstraint(
            "length(source) BETWEEN 1 AND 100 AND length(source_ref) BETWEEN 1 AND 200 AND length(evidence) BETWEEN 1 AND 1000 AND coalesce(length(summary), 0) <= 4000 AND coalesce(length(score), 0) <= 40 AND coalesce(length(party), 0) <= 200 AND coalesce(length(case_number), 0) <= 200 AND coalesce(length(court), 0) <= 200",
            name=op.f("ck_credit_external_records_lengths"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_credit_external_records_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_credit_external_records_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_credit_external_records")),
        sa.UniqueConstraint(
            "tenant_id",
            "source",
            "source_ref",
            name=op.f("uq_credit_external_records_tenant_id_source_source_ref"),
        ),
    )
    op.create_index(
        "ix_credit_external_records_customer",
        "credit_external_records",
        ["tenant_id", "customer_id", "recorded_on"],
        unique=False,
    )
    op.create_table(
        "credit_scores",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("version_id", sa.UUID(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("score", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("score_class", sa.CHAR(length=1), nullable=False),
        sa.Column("rating_class", sa.CHAR(length=1), nullable=False),
        sa.Column("inputs", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("factors", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("reason_codes", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("knock_outs", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("missing_inputs", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("inputs_hash", sa.Text(), nullable=False),
        sa.Column("trigger", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "as_of BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_credit_scores_as_of_sane"),
        ),
        sa.CheckConstraint(
            "score_class IN ('A', 'B', 'C', 'D') AND rating_class IN ('A', 'B', 'C', 'D')",
            name=op.f("ck_credit_scores_classes_known"),
        ),
        sa.CheckConstraint(
            "trigger IN ('MANUAL', 'RESCORE', 'RECLASSIFY', 'REVIEW')",
            name=op.f("ck_credit_scores_trigger_known"),
        ),
        sa.CheckConstraint("score BETWEEN 0 AND 100", name=op.f("ck_credit_scores_score_in_range")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_credit_scores_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "version_id"],
            ["scorecard_versions.tenant_id", "scorecard_versions.id"],
            name=op.f("fk_credit_scores_tenant_id_version_id_scorecard_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_credit_scores_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_credit_scores")),
    )
    op.create_index("ix_credit_scores_as_of", "credit_scores", ["tenant_id", "as_of"], unique=False)
    op.create_index(
        "ix_credit_scores_customer",
        "credit_scores",
        ["tenant_id", "customer_id", "seq"],
        unique=False,
    )
    op.create_table(
        "financial_statements",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("cash_minor", sa.BigInteger(), nullable=True),
        sa.Column("receivables_minor", sa.BigInteger(), nullable=True),
        sa.Column("inventory_minor", sa.BigInteger(), nullable=True),
        sa.Column("current_assets_minor", sa.BigInteger(), nullable=True),
        sa.Column("total_assets_minor", sa.BigInteger(), nullable=True),
        sa.Column("current_liabilities_minor", sa.BigInteger(), nullable=True),
        sa.Column("total_liabilities_minor", sa.BigInteger(), nullable=True),
        sa.Column("equity_minor", sa.BigInteger(), nullable=True),
        sa.Column("retained_earnings_minor", sa.BigInteger(), nullable=True),
        sa.Column("revenue_minor", sa.BigInteger(), nullable=True),
        sa.Column("cost_of_sales_minor", sa.BigInteger(), nullable=True),
        sa.Column("ebit_minor", sa.BigInteger(), nullable=True),
        sa.Column("profit_before_tax_minor", sa.BigInteger(), nullable=True),
        sa.Column("interest_expense_minor", sa.BigInteger(), nullable=True),
        sa.Column("net_profit_minor", sa.BigInteger(), nullable=True),
        sa.Column("operating_cash_flow_minor", sa.BigInteger(), nullable=True),
        sa.Column("negative_equity", sa.Boolean(), nullable=False),
        sa.Column("z_score", sa.Numeric(precision=12, scale=4), nullable=True),
        sa.Column("z_zone", sa.Text(), nullable=True),
        sa.Column("z_inputs", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
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
        sa.CheckConstraint(
            "kind IN ('ANNUAL', 'INTERIM')", name=op.f("ck_financial_statements_kind_known")
        ),
        sa.CheckConstraint(
            "period_start BETWEEN DATE '1900-01-01' AND DATE '2199-12-31' AND period_end BETWEEN DATE '1900-01-01' AND DATE '2199-12-31' AND period_end >= period_start AND period_end - period_start <= 365",
            name=op.f("ck_financial_statements_period_sane"),
        ),
        sa.CheckConstraint(
            "source IN ('AUDITED', 'TAX_FILING', 'MANAGEMENT')",
            name=op.f("ck_financial_statements_source_known"),
        ),
        sa.CheckConstraint(
            "unit IN ('YUAN', 'THOUSAND', 'TEN_THOUSAND')",
            name=op.f("ck_financial_statements_unit_known"),
        ),
        sa.CheckConstraint(
            "z_zone IS NULL OR z_zone IN ('SAFE', 'GREY', 'DISTRESS')",
            name=op.f("ck_financial_statements_z_zone_known"),
        ),
        sa.CheckConstraint(
            "(cash_minor IS NULL OR cash_minor >= 0) AND (receivables_minor IS NULL OR receivables_minor >= 0) AND (inventory_minor IS NULL OR inventory_minor >= 0) AND (current_assets_minor IS NULL OR current_assets_minor >= 0) AND (total_assets_minor IS NULL OR total_assets_minor >= 0) AND (current_liabilities_minor IS NULL OR current_liabilities_minor >= 0) AND (total_liabilities_minor IS NULL OR total_liabilities_minor >= 0) AND (revenue_minor IS NULL OR revenue_minor >= 0) AND (cost_of_sales_minor IS NULL OR cost_of_sales_minor >= 0) AND (interest_expense_minor IS NULL OR interest_expense_minor >= 0)",
            name=op.f("ck_financial_statements_unsigned_lines_not_negative"),
        ),
        sa.CheckConstraint(
            "(z_score IS NULL) = (z_zone IS NULL)",
            name=op.f("ck_financial_statements_z_zone_with_score"),
        ),
        sa.CheckConstraint(
            "total_assets_minor IS NOT NULL AND total_liabilities_minor IS NOT NULL AND equity_minor IS NOT NULL",
            name=op.f("ck_financial_statements_balance_sheet_given"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_financial_statements_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_financial_statements_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_financial_statements")),
        sa.UniqueConstraint(
            "tenant_id",
            "customer_id",
            "kind",
            "period_start",
            "period_end",
            "source",
            name=op.f(
                "uq_financial_statements_tenant_id_customer_id_kind_period_start_period_end_source"
            ),
        ),
    )
    op.create_index(
        "ix_financial_statements_customer",
        "financial_statements",
        ["tenant_id", "customer_id", "period_end"],
        unique=False,
    )
    op.drop_index(
        op.f("ix_customers_search"),
        table_name="customers",
        postgresql_ops={
            "lower((((legal_name || ' '::text) || code) || ' '::text) || COALESCE(registration_number, ''::text))": "gin_trgm_ops"
        },
        postgresql_using="gin",
    )
    # A reclassification writes tens of thousands of events in one transaction. The outbox
    # trigger numbers each with max(seq); a plan cached while `events` was small scans the
    # whole table per row (37,000 events: 100+ s instead of 1 s). Planning the trigger's
    # query without sequential scans keeps it on the primary-key index, whatever its size.
    op.execute(f"ALTER FUNCTION {EVENTS_TRIGGER} SET enable_seqscan = off")
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
    op.execute(f"ALTER FUNCTION {EVENTS_TRIGGER} RESET enable_seqscan")
    op.create_index(
        op.f("ix_customers_search"),
        "customers",
        [
            sa.literal_column(
                "lower((((legal_name || ' '::text) || code) || ' '::text) || COALESCE(registration_number, ''::text))"
            )
        ],
        unique=False,
        postgresql_ops={
            "lower((((legal_name || ' '::text) || code) || ' '::text) || COALESCE(registration_number, ''::text))": "gin_trgm_ops"
        },
        postgresql_using="gin",
    )
    op.drop_index("ix_financial_statements_customer", table_name="financial_statements")
    op.drop_table("financial_statements")
    op.drop_index("ix_credit_scores_customer", table_name="credit_scores")
    op.drop_index("ix_credit_scores_as_of", table_name="credit_scores")
    op.drop_table("credit_scores")
    op.drop_index("ix_credit_external_records_customer", table_name="credit_external_records")
    op.drop_table("credit_external_records")
    op.drop_index("ix_credit_class_history_customer", table_name="credit_class_history")
    op.drop_table("credit_class_history")
    op.drop_index(
        "uq_class_overrides_one_pending",
        table_name="class_overrides",
        postgresql_where=sa.text("status = 'PENDING'"),
    )
    op.drop_index("ix_class_overrides_customer", table_name="class_overrides")
    op.drop_table("class_overrides")
    op.drop_index(
        "uq_scorecard_versions_one_active",
        table_name="scorecard_versions",
        postgresql_where=sa.text("status = 'ACTIVE'"),
    )
    op.drop_table("scorecard_versions")


TABLES = (
    "financial_statements",
    "credit_external_records",
    "scorecard_versions",
    "credit_scores",
    "credit_class_history",
    "class_overrides",
)
#: History the app adds to but never edits: a new score or class change is a new row.
APPEND_ONLY = ("credit_scores", "credit_class_history")
#: The outbox trigger that numbers events per tenant (migration 0001).
EVENTS_TRIGGER = "events_assign_seq()"
