"""Credit limits and exposure: exchange rates, credit policy versions, limits with their
approvals, credit holds, open sales orders, exposure reservations and the decision log.

Indexes over open items only (open invoices, open orders, active reservations) carry the
amounts, so a credit check sums one customer's open items from the index and never
aggregates its ledger. A trigger on invoices consumes the sales order an invoice names
(`order_ref`) in the invoice's own transaction, so an order never counts twice; it is the
twin of domain.credit.exposure.consume.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


TABLES = (
    "exchange_rates",
    "credit_policies",
    "credit_limit_requests",
    "credit_limit_approvals",
    "credit_limits",
    "credit_holds",
    "sales_orders",
    "credit_reservations",
    "credit_decisions",
)
APPEND_ONLY = (
    "exchange_rates",
    "credit_policies",
    "credit_limit_approvals",
    "credit_limits",
    "credit_holds",
    "credit_decisions",
)
#: An invoice naming an order consumes it: by its amount in the order's currency (invoiced
#: once the order's amount is reached), wholly in another currency. Runs as the caller, so
#: row-level security applies; cancelled and invoiced orders are left alone.
CONSUME_FUNCTION = """
CREATE FUNCTION credit_consume_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE sales_orders o
     SET invoiced_minor = CASE WHEN o.currency = NEW.currency
                               THEN least(o.amount_minor, o.invoiced_minor + NEW.amount_minor)
                               ELSE o.amount_minor END,
         status = CASE WHEN o.currency <> NEW.currency
                         OR o.invoiced_minor + NEW.amount_minor >= o.amount_minor
                       THEN 'INVOICED' ELSE o.status END,
         version = o.version + 1,
         updated_at = now()
   WHERE o.tenant_id = NEW.tenant_id AND o.order_ref = NEW.order_ref
     AND o.customer_id = NEW.customer_id AND o.status IN ('OPEN', 'SHIPPED');
  RETURN NULL;
END $$"""
CONSUME_TRIGGER = """
CREATE TRIGGER invoices_consume_order AFTER INSERT ON invoices
   FOR EACH ROW WHEN (NEW.order_ref IS NOT NULL) EXECUTE FUNCTION credit_consume_order()"""


def upgrade() -> None:
    op.create_table(
        "credit_decisions",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("subject_id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=True),
        sa.Column("snapshot", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("outcome", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("versions", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("decided_by", sa.Text(), nullable=False),
        sa.Column("request_id", sa.Text(), nullable=True),
        sa.Column(
            "decided_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('CREDIT_CHECK','LIMIT','LIMIT_EXPIRY','CLASS')",
            name=op.f("ck_credit_decisions_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_credit_decisions_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_credit_decisions")),
    )
    op.create_index(
        "ix_credit_decisions_customer",
        "credit_decisions",
        ["tenant_id", "customer_id", sa.literal_column("seq DESC")],
        unique=False,
    )
    op.create_index(
        "ix_credit_decisions_subject",
        "credit_decisions",
        ["tenant_id", "subject_id", sa.literal_column("seq DESC")],
        unique=False,
    )
    op.create_index(
        "uq_credit_decisions_expiry",
        "credit_decisions",
        ["tenant_id", "subject_id"],
        unique=True,
        postgresql_where=sa.text("kind = 'LIMIT_EXPIRY'"),
    )
    op.create_table(
        "credit_policies",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("overrides", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "jsonb_typeof(overrides) = 'object'", name=op.f("ck_credit_policies_overrides_object")
        ),
        sa.CheckConstraint("version > 0", name=op.f("ck_credit_policies_version_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_credit_policies_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "version", name=op.f("pk_credit_policies")),
    )
    op.create_table(
        "exchange_rates",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("base", sa.CHAR(length=3), nullable=False),
        sa.Column("quote", sa.CHAR(length=3), nullable=False),
        sa.Column("rate", sa.Numeric(precision=28, scale=12), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "base ~ '^[A-Z]{3}$' AND quote ~ '^[A-Z]{3}$'",
            name=op.f("ck_exchange_rates_codes_format"),
        ),
        sa.CheckConstraint(
            "effective_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_exchange_rates_date_plausible"),
        ),
        sa.CheckConstraint("base <> quote", name=op.f("ck_exchange_rates_two_currencies")),
        sa.CheckConstraint("rate > 0", name=op.f("ck_exchange_rates_rate_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_exchange_rates_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_exchange_rates")),
    )
    op.create_index(
        "ix_exchange_rates_pair",
        "exchange_rates",
        [
            "tenant_id",
            "base",
            "quote",
            sa.literal_column("effective_on DESC"),
            sa.literal_column("seq DESC"),
        ],
        unique=False,
    )
    op.create_table(
        "credit_holds",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "source IN ('MANUAL','WARNING')", name=op.f("ck_credit_holds_source_known")
        ),
        sa.CheckConstraint(
            "length(reason) BETWEEN 1 AND 500", name=op.f("ck_credit_holds_reason_length")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_credit_holds_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_credit_holds_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "seq", name=op.f("pk_credit_holds")),
    )
    op.create_index(
        "ix_credit_holds_customer",
        "credit_holds",
        ["tenant_id", "customer_id", sa.literal_column("seq DESC")],
        unique=False,
    )
    op.create_table(
        "credit_limit_requests",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("tier", sa.Text(), nullable=False),
        sa.Column("approvals_required", sa.SmallInteger(), nullable=False),
        sa.Column("status", sa.Text(), server_default="PENDING", nullable=False),
        sa.Column("snapshot", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("limit_id", sa.UUID(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "basis IN ('RECOMMENDED','MANUAL','APPLICATION','REVIEW')",
            name=op.f("ck_credit_limit_requests_basis_known"),
        ),
        sa.CheckConstraint(
            "currency ~ '^[A-Z]{3}$'", name=op.f("ck_credit_limit_requests_currency_format")
        ),
        sa.CheckConstraint(
            "kind = 'STANDARD' OR (valid_to IS NOT NULL AND valid_to - valid_from <= 366)",
            name=op.f("ck_credit_limit_requests_increase_ends"),
        ),
        sa.CheckConstraint(
            "kind = 'STANDARD' OR amount_minor > 0",
            name=op.f("ck_credit_limit_requests_increase_positive"),
        ),
        sa.CheckConstraint(
            "kind IN ('STANDARD','TEMPORARY')", name=op.f("ck_credit_limit_requests_kind_known")
        ),
        sa.CheckConstraint(
            "scope IN ('CUSTOMER','GROUP')", name=op.f("ck_credit_limit_requests_scope_known")
        ),
        sa.CheckConstraint(
            "status IN ('PENDING','APPROVED','REJECTED')",
            name=op.f("ck_credit_limit_requests_status_known"),
        ),
        sa.CheckConstraint(
            "tier IN ('ANALYST','MANAGER','TWO_MANAGERS')",
            name=op.f("ck_credit_limit_requests_tier_known"),
        ),
        sa.CheckConstraint(
            "valid_from BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_credit_limit_requests_from_plausible"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR (valid_to BETWEEN DATE '1900-01-01' AND DATE '2199-12-31' AND valid_to >= valid_from)",
            name=op.f("ck_credit_limit_requests_to_plausible"),
        ),
        sa.CheckConstraint(
            "amount_minor >= 0 AND amount_minor < 100000000000000000",
            name=op.f("ck_credit_limit_requests_amount_in_range"),
        ),
        sa.CheckConstraint(
            "approvals_required BETWEEN 1 AND 2",
            name=op.f("ck_credit_limit_requests_approvals_range"),
        ),
        sa.CheckConstraint(
            "note IS NULL OR length(note) <= 2000",
            name=op.f("ck_credit_limit_requests_note_length"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_credit_limit_requests_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_credit_limit_requests_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_credit_limit_requests")),
    )
    op.create_index(
        "ix_credit_limit_requests_customer",
        "credit_limit_requests",
        ["tenant_id", "customer_id", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_credit_limit_requests_pending",
        "credit_limit_requests",
        ["tenant_id", "created_at"],
        unique=False,
        postgresql_where=sa.text("status = 'PENDING'"),
    )
    op.create_table(
        "credit_reservations",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("order_ref", sa.Text(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Text(), server_default="ACTIVE", nullable=False),
        sa.Column("decision_id", sa.UUID(), nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "currency ~ '^[A-Z]{3}$'", name=op.f("ck_credit_reservations_currency_format")
        ),
        sa.CheckConstraint(
            "expires_at > created_at AND expires_at <= created_at + interval '1 day'",
            name=op.f("ck_credit_reservations_ttl_in_range"),
        ),
        sa.CheckConstraint(
            "status IN ('ACTIVE','CONFIRMED','RELEASED','EXPIRED')",
            name=op.f("ck_credit_reservations_status_known"),
        ),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_credit_reservations_amount_positive")),
        sa.CheckConstraint(
            "length(order_ref) BETWEEN 1 AND 100", name=op.f("ck_credit_reservations_ref_length")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_credit_reservations_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "decision_id"],
            ["credit_decisions.tenant_id", "credit_decisions.id"],
            name=op.f("fk_credit_reservations_tenant_id_decision_id_credit_decisions"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_credit_reservations_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_credit_reservations")),
    )
    op.create_index(
        "ix_credit_reservations_active",
        "credit_reservations",
        ["tenant_id", "customer_id"],
        unique=False,
        postgresql_include=["currency", "amount_minor", "expires_at", "order_ref"],
        postgresql_where=sa.text("status = 'ACTIVE'"),
    )
    op.create_index(
        "uq_credit_reservations_active_ref",
        "credit_reservations",
        ["tenant_id", "order_ref"],
        unique=True,
        postgresql_where=sa.text("status = 'ACTIVE'"),
    )
    op.create_table(
        "sales_orders",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("order_ref", sa.Text(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("invoiced_minor", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("status", sa.Text(), server_default="OPEN", nullable=False),
        sa.Column("ordered_on", sa.Date(), nullable=False),
        sa.Column("shipped_on", sa.Date(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
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
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_sales_orders_currency_format")),
        sa.CheckConstraint(
            "ordered_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_sales_orders_ordered_plausible"),
        ),
        sa.CheckConstraint(
            "shipped_on IS NULL OR shipped_on BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_sales_orders_shipped_plausible"),
        ),
        sa.CheckConstraint(
            "status IN ('OPEN','SHIPPED','INVOICED','CANCELLED')",
            name=op.f("ck_sales_orders_status_known"),
        ),
        sa.CheckConstraint(
            "amount_minor > 0 AND amount_minor < 100000000000000000",
            name=op.f("ck_sales_orders_amount_in_range"),
        ),
        sa.CheckConstraint(
            "cancel_reason IS NULL OR length(cancel_reason) <= 500",
            name=op.f("ck_sales_orders_reason_length"),
        ),
        sa.CheckConstraint(
            "invoiced_minor >= 0 AND invoiced_minor <= amount_minor",
            name=op.f("ck_sales_orders_invoiced_in_range"),
        ),
        sa.CheckConstraint(
            "length(order_ref) BETWEEN 1 AND 100", name=op.f("ck_sales_orders_ref_length")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_sales_orders_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_sales_orders_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_sales_orders")),
        sa.UniqueConstraint(
            "tenant_id", "order_ref", name=op.f("uq_sales_orders_tenant_id_order_ref")
        ),
    )
    op.create_index(
        "ix_sales_orders_open",
        "sales_orders",
        ["tenant_id", "customer_id"],
        unique=False,
        postgresql_include=["currency", "amount_minor", "invoiced_minor", "order_ref"],
        postgresql_where=sa.text("status IN ('OPEN','SHIPPED')"),
    )
    op.create_table(
        "credit_limit_approvals",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("request_id", sa.UUID(), nullable=False),
        sa.Column("approver", sa.Text(), nullable=False),
        sa.Column("roles", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("verdict", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.CheckConstraint(
            "verdict IN ('APPROVE','REJECT')", name=op.f("ck_credit_limit_approvals_verdict_known")
        ),
        sa.CheckConstraint(
            "reason IS NULL OR length(reason) <= 2000",
            name=op.f("ck_credit_limit_approvals_reason_length"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "request_id"],
            ["credit_limit_requests.tenant_id", "credit_limit_requests.id"],
            name=op.f("fk_credit_limit_approvals_tenant_id_request_id_credit_limit_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_credit_limit_approvals_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "request_id", "approver", name=op.f("pk_credit_limit_approvals")
        ),
    )
    op.create_table(
        "credit_limits",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("request_id", sa.UUID(), nullable=False),
        sa.Column("requested_by", sa.Text(), nullable=False),
        sa.Column("approved_by", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("decision_id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "basis IN ('RECOMMENDED','MANUAL','APPLICATION','REVIEW')",
            name=op.f("ck_credit_limits_basis_known"),
        ),
        sa.CheckConstraint(
            "currency ~ '^[A-Z]{3}$'", name=op.f("ck_credit_limits_currency_format")
        ),
        sa.CheckConstraint(
            "kind = 'STANDARD' OR (valid_to IS NOT NULL AND valid_to - valid_from <= 366)",
            name=op.f("ck_credit_limits_increase_ends"),
        ),
        sa.CheckConstraint(
            "kind = 'STANDARD' OR amount_minor > 0", name=op.f("ck_credit_limits_increase_positive")
        ),
        sa.CheckConstraint(
            "kind IN ('STANDARD','TEMPORARY')", name=op.f("ck_credit_limits_kind_known")
        ),
        sa.CheckConstraint(
            "scope IN ('CUSTOMER','GROUP')", name=op.f("ck_credit_limits_scope_known")
        ),
        sa.CheckConstraint(
            "valid_from BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'",
            name=op.f("ck_credit_limits_from_plausible"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR (valid_to BETWEEN DATE '1900-01-01' AND DATE '2199-12-31' AND valid_to >= valid_from)",
            name=op.f("ck_credit_limits_to_plausible"),
        ),
        sa.CheckConstraint(
            "amount_minor >= 0 AND amount_minor < 100000000000000000",
            name=op.f("ck_credit_limits_amount_in_range"),
        ),
        sa.CheckConstraint(
            "note IS NULL OR length(note) <= 2000", name=op.f("ck_credit_limits_note_length")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_credit_limits_tenant_id_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "decision_id"],
            ["credit_decisions.tenant_id", "credit_decisions.id"],
            name=op.f("fk_credit_limits_tenant_id_decision_id_credit_decisions"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "request_id"],
            ["credit_limit_requests.tenant_id", "credit_limit_requests.id"],
            name=op.f("fk_credit_limits_tenant_id_request_id_credit_limit_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_credit_limits_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_credit_limits")),
        sa.UniqueConstraint(
            "tenant_id", "request_id", name=op.f("uq_credit_limits_tenant_id_request_id")
        ),
    )
    op.create_index(
        "ix_credit_limits_customer",
        "credit_limits",
        ["tenant_id", "customer_id", "scope", sa.literal_column("seq DESC")],
        unique=False,
    )
    op.create_index(
        "ix_customer_relations_related",
        "customer_relations",
        ["tenant_id", "related_customer_id"],
        unique=False,
    )
    op.create_index(
        "ix_invoices_open_exposure",
        "invoices",
        ["tenant_id", "customer_id"],
        unique=False,
        postgresql_include=["currency", "open_minor", "due_date"],
        postgresql_where=sa.text("open_minor > 0"),
    )
    op.create_index(
        "ix_invoices_order_ref",
        "invoices",
        ["tenant_id", "order_ref"],
        unique=False,
        postgresql_where=sa.text("order_ref IS NOT NULL"),
    )
    op.execute(CONSUME_FUNCTION)
    op.execute(CONSUME_TRIGGER)
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
    op.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")


def downgrade() -> None:
    op.execute("DROP TRIGGER invoices_consume_order ON invoices")
    op.execute("DROP FUNCTION credit_consume_order()")
    op.drop_index(
        "ix_invoices_order_ref",
        table_name="invoices",
        postgresql_where=sa.text("order_ref IS NOT NULL"),
    )
    op.drop_index(
        "ix_invoices_open_exposure",
        table_name="invoices",
        postgresql_include=["currency", "open_minor", "due_date"],
        postgresql_where=sa.text("open_minor > 0"),
    )
    op.drop_index("ix_customer_relations_related", table_name="customer_relations")
    op.drop_index("ix_credit_limits_customer", table_name="credit_limits")
    op.drop_table("credit_limits")
    op.drop_table("credit_limit_approvals")
    op.drop_index(
        "ix_sales_orders_open",
        table_name="sales_orders",
        postgresql_include=["currency", "amount_minor", "invoiced_minor", "order_ref"],
        postgresql_where=sa.text("status IN ('OPEN','SHIPPED')"),
    )
    op.drop_table("sales_orders")
    op.drop_index(
        "uq_credit_reservations_active_ref",
        table_name="credit_reservations",
        postgresql_where=sa.text("status = 'ACTIVE'"),
    )
    op.drop_index(
        "ix_credit_reservations_active",
        table_name="credit_reservations",
        postgresql_include=["currency", "amount_minor", "expires_at", "order_ref"],
        postgresql_where=sa.text("status = 'ACTIVE'"),
    )
    op.drop_table("credit_reservations")
    op.drop_index(
        "ix_credit_limit_requests_pending",
        table_name="credit_limit_requests",
        postgresql_where=sa.text("status = 'PENDING'"),
    )
    op.drop_index("ix_credit_limit_requests_customer", table_name="credit_limit_requests")
    op.drop_table("credit_limit_requests")
    op.drop_index("ix_credit_holds_customer", table_name="credit_holds")
    op.drop_table("credit_holds")
    op.drop_index("ix_exchange_rates_pair", table_name="exchange_rates")
    op.drop_table("exchange_rates")
    op.drop_table("credit_policies")
    op.drop_index(
        "uq_credit_decisions_expiry",
        table_name="credit_decisions",
        postgresql_where=sa.text("kind = 'LIMIT_EXPIRY'"),
    )
    op.drop_index("ix_credit_decisions_subject", table_name="credit_decisions")
    op.drop_index("ix_credit_decisions_customer", table_name="credit_decisions")
    op.drop_table("credit_decisions")
