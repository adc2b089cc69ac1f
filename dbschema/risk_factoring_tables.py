"""Factoring tables: agreements and their debtor limits, batches of assigned invoices, the
factoring sub-ledger, and the factor's statements as imported.

Sub-ledger entries and statement lines are append-only for the application role (granted in
migration 0016).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

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
from dbschema.tables import NOW, metadata

factoring_agreements = sa.Table(
    "factoring_agreements",
    metadata,
    _tenant(),
    _id(),
    sa.Column("factor", sa.Text, nullable=False),
    sa.Column("reference", sa.Text, nullable=False),
    sa.Column("recourse", sa.Boolean, nullable=False),
    sa.Column("disclosed", sa.Boolean, nullable=False),
    sa.Column("currencies", ARRAY(sa.CHAR(3)), nullable=False),
    sa.Column("advance_percent", PERCENT, nullable=False),
    sa.Column("commission_percent", PERCENT, nullable=False),
    sa.Column("interest_percent", PERCENT, nullable=False),
    sa.Column("max_terms_days", sa.Integer, nullable=False),
    sa.Column("allowed_classes", ARRAY(sa.CHAR(1)), nullable=False),
    sa.Column("recourse_days", sa.Integer, nullable=False),
    sa.Column("starts_on", sa.Date, nullable=False),
    sa.Column("remittance", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint("tenant_id", "reference"),
    _length("factor", 200),
    _length("reference", 100),
    _percent("advance_percent", "commission_percent", "interest_percent"),
    sa.CheckConstraint(
        "max_terms_days BETWEEN 0 AND 3650 AND recourse_days BETWEEN 0 AND 3650",
        name="days_in_range",
    ),
    sa.CheckConstraint("cardinality(currencies) BETWEEN 1 AND 10", name="currencies_count"),
    sa.CheckConstraint(
        "cardinality(allowed_classes) BETWEEN 1 AND 4"
        " AND allowed_classes <@ ARRAY['A','B','C','D']::char(1)[]",
        name="classes_known",
    ),
    #: seed 002: C and D customers are factored only with recourse
    sa.CheckConstraint(
        "recourse OR allowed_classes <@ ARRAY['A','B']::char(1)[]", name="risky_only_recourse"
    ),
    _dates("starts_on"),
)

factoring_debtor_limits = sa.Table(
    "factoring_debtor_limits",
    metadata,
    _tenant(),
    sa.Column("agreement_id", UUID(as_uuid=True), nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("limit_minor", sa.BigInteger, nullable=False),
    sa.Column("approved", sa.Boolean, nullable=False),
    sa.Column("updated_by", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "agreement_id", "customer_id"),
    _fk(["agreement_id"], "factoring_agreements", ["id"]),
    _fk(["customer_id"], "customers", ["id"]),
    sa.CheckConstraint("limit_minor >= 0", name="limit_not_negative"),
)

factoring_batches = sa.Table(
    "factoring_batches",
    metadata,
    _tenant(),
    _id(),
    sa.Column("agreement_id", UUID(as_uuid=True), nullable=False),
    sa.Column("assigned_on", sa.Date, nullable=False),
    sa.Column("invoice_count", sa.Integer, nullable=False),
    sa.Column("currency_totals", JSONB, nullable=False),
    sa.Column("document_id", UUID(as_uuid=True)),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint("tenant_id", "id", "agreement_id"),
    _fk(["agreement_id"], "factoring_agreements", ["id"]),
    sa.CheckConstraint("invoice_count BETWEEN 1 AND 5000", name="count_in_range"),
    _dates("assigned_on"),
)

factored_invoices = sa.Table(
    "factored_invoices",
    metadata,
    _tenant_keyed(),
    _id(),
    sa.Column("agreement_id", UUID(as_uuid=True), nullable=False),
    sa.Column("batch_id", UUID(as_uuid=True), nullable=False),
    sa.Column("invoice_id", UUID(as_uuid=True), nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("face_minor", sa.BigInteger, nullable=False),
    sa.Column("assigned_on", sa.Date, nullable=False),
    #: allocations already on the invoice when it was assigned (its face is net of them)
    sa.Column("prior_allocations", ARRAY(UUID(as_uuid=True)), nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="ACTIVE"),
    sa.Column("closed_on", sa.Date),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    #: two keys per row (5,000 rows a call): the batch (and through it the agreement and the
    #: tenant) and the invoice in its currency; the customer is the invoice's, copied with it
    sa.ForeignKeyConstraint(
        ["tenant_id", "batch_id", "agreement_id"],
        [
            "factoring_batches.tenant_id",
            "factoring_batches.id",
            "factoring_batches.agreement_id",
        ],
        ondelete="CASCADE",
    ),
    _fk(["invoice_id", "currency"], "invoices", ["id", "currency"]),
    sa.CheckConstraint("face_minor > 0", name="face_positive"),
    sa.CheckConstraint("status IN ('ACTIVE','SETTLED','BOUGHT_BACK')", name="status_known"),
    sa.CheckConstraint("(status = 'ACTIVE') = (closed_on IS NULL)", name="closed_when_not_active"),
    _dates("assigned_on", "coalesce(closed_on, assigned_on)"),
)
#: An invoice is assigned to at most one factor at a time.
sa.Index(
    "uq_factored_invoices_active",
    factored_invoices.c.tenant_id,
    factored_invoices.c.invoice_id,
    unique=True,
    postgresql_where=sa.text("status = 'ACTIVE'"),
)
sa.Index(
    "ix_factored_invoices_agreement",
    factored_invoices.c.tenant_id,
    factored_invoices.c.agreement_id,
    factored_invoices.c.status,
)
sa.Index(
    "ix_factored_invoices_customer", factored_invoices.c.tenant_id, factored_invoices.c.customer_id
)

factoring_entries = sa.Table(
    "factoring_entries",
    metadata,
    _tenant_keyed(),
    sa.Column("seq", sa.BigInteger, sa.Identity(), nullable=False),
    sa.Column("agreement_id", UUID(as_uuid=True), nullable=False),
    sa.Column("assignment_id", UUID(as_uuid=True), nullable=False),
    sa.Column("invoice_id", UUID(as_uuid=True), nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("effective_on", sa.Date, nullable=False),
    sa.Column("received_by", sa.Text),
    #: the receivables-ledger allocation a COLLECTION or DILUTION mirrors
    sa.Column("allocation_id", UUID(as_uuid=True)),
    sa.Column("reverses_seq", sa.BigInteger),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "seq"),
    #: one key per row (four rows an invoice assigned): the assignment, and through it the
    #: agreement and the tenant; agreement and invoice are the assignment's, copied with it
    sa.ForeignKeyConstraint(
        ["tenant_id", "assignment_id"],
        ["factored_invoices.tenant_id", "factored_invoices.id"],
        ondelete="CASCADE",
    ),
    sa.CheckConstraint(
        "kind IN ('ASSIGNMENT','ADVANCE','RESERVE','COMMISSION','INTEREST','COLLECTION',"
        "'DILUTION','REMITTANCE','RESERVE_RELEASE','SHORTFALL','BUYBACK')",
        name="kind_known",
    ),
    sa.CheckConstraint(
        "amount_minor >= 0 OR (allocation_id IS NOT NULL AND kind IN ('COLLECTION','DILUTION'))",
        name="negative_only_as_reversal",
    ),
    sa.CheckConstraint(
        "(kind = 'COLLECTION') = (received_by IS NOT NULL) AND received_by IN ('FACTOR','US')",
        name="collection_receiver",
    ),
    _dates("effective_on"),
)
#: an allocation is mirrored once (most entries mirror none, and are not indexed here)
sa.Index(
    "uq_factoring_entries_allocation",
    factoring_entries.c.tenant_id,
    factoring_entries.c.allocation_id,
    unique=True,
    postgresql_where=sa.text("allocation_id IS NOT NULL"),
)
sa.Index(
    "ix_factoring_entries_assignment",
    factoring_entries.c.tenant_id,
    factoring_entries.c.assignment_id,
    factoring_entries.c.effective_on,
)
sa.Index(
    "ix_factoring_entries_agreement",
    factoring_entries.c.tenant_id,
    factoring_entries.c.agreement_id,
    factoring_entries.c.effective_on,
)

factor_statements = sa.Table(
    "factor_statements",
    metadata,
    _tenant(),
    _id(),
    sa.Column("agreement_id", UUID(as_uuid=True), nullable=False),
    sa.Column("statement_date", sa.Date, nullable=False),
    sa.Column("line_count", sa.Integer, nullable=False),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _fk(["agreement_id"], "factoring_agreements", ["id"]),
    sa.CheckConstraint("line_count BETWEEN 1 AND 50000", name="count_in_range"),
    _dates("statement_date"),
)

factor_statement_lines = sa.Table(
    "factor_statement_lines",
    metadata,
    _tenant(),
    sa.Column("statement_id", UUID(as_uuid=True), nullable=False),
    sa.Column("line_no", sa.Integer, nullable=False),
    sa.Column("invoice_number", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("effective_on", sa.Date, nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.PrimaryKeyConstraint("tenant_id", "statement_id", "line_no"),
    _fk(["statement_id"], "factor_statements", ["id"]),
    _length("invoice_number", 200, "number_length"),
    _length("kind", 40),
    _dates("effective_on"),
)

#: Every table of this module, in creation order.
TABLES = (
    factoring_agreements,
    factoring_debtor_limits,
    factoring_batches,
    factored_invoices,
    factoring_entries,
    factor_statements,
    factor_statement_lines,
)
#: Facts the app adds but never edits: corrections are reversals or new entries.
APPEND_ONLY = (
    "factoring_entries",
    "factor_statement_lines",
)
