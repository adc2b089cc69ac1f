"""Risk transfer tables: credit insurance (policies, covers, clock, claims) and factoring.

CHECKs mirror the domain's ranges (dates 1900-2199, percentages 0-100, lengths), so no row
the rules would refuse can be stored by another path. Decisions, notices, sub-ledger entries
and kept documents are append-only for the application role (granted in migration 0016).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from dbschema.tables import NEW_UUID, NOW, metadata
from domain.dates import SQL_RANGE


def _tenant() -> sa.Column[object]:
    return sa.Column(
        "tenant_id",
        UUID(as_uuid=True),
        sa.ForeignKey("tenants.id", ondelete="CASCADE"),
        nullable=False,
    )


def _tenant_keyed() -> sa.Column[object]:
    """The tenant of a high-volume row whose composite keys already carry it to a row that
    references the tenant (no per-row check of its own: thousands are written per statement)."""
    return sa.Column("tenant_id", UUID(as_uuid=True), nullable=False)


def _id() -> sa.Column[object]:
    return sa.Column("id", UUID(as_uuid=True), nullable=False, server_default=NEW_UUID)


def _created() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
        sa.Column("created_by", sa.Text, nullable=False),
    ]


def _fk(columns: list[str], table: str, referred: list[str]) -> sa.ForeignKeyConstraint:
    """A composite foreign key that carries the tenant."""
    return sa.ForeignKeyConstraint(
        ["tenant_id", *columns], [f"{table}.tenant_id", *(f"{table}.{c}" for c in referred)]
    )


def _dates(*columns: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(
        " AND ".join(f"{c} {SQL_RANGE}" for c in columns), name="dates_in_range"
    )


def _percent(*columns: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(
        " AND ".join(f"{c} BETWEEN 0 AND 100" for c in columns), name="percents_in_range"
    )


def _length(column: str, limit: int, name: str | None = None) -> sa.CheckConstraint:
    return sa.CheckConstraint(
        f"char_length({column}) BETWEEN 1 AND {limit}", name=name or f"{column}_length"
    )


PERCENT = sa.Numeric(9, 4)

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

insurance_claims = sa.Table(
    "insurance_claims",
    metadata,
    _tenant(),
    _id(),
    sa.Column("policy_id", UUID(as_uuid=True), nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("filed_on", sa.Date, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="FILED"),
    sa.Column("open_minor", sa.BigInteger, nullable=False),
    sa.Column("covered_loss_minor", sa.BigInteger, nullable=False),
    sa.Column("deductible_minor", sa.BigInteger, nullable=False),
    sa.Column("indemnity_percent", PERCENT, nullable=False),
    sa.Column("cover_cap_minor", sa.BigInteger, nullable=False),
    sa.Column("indemnity_minor", sa.BigInteger, nullable=False),
    sa.Column("capped_by", sa.Text),
    sa.Column("paid_minor", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("shared_minor", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("rejection_reason", sa.Text),
    sa.Column("document_id", UUID(as_uuid=True)),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _fk(["policy_id"], "insurance_policies", ["id"]),
    _fk(["customer_id"], "customers", ["id"]),
    sa.CheckConstraint("status IN ('FILED','PAID','PARTLY_PAID','REJECTED')", name="status_known"),
    sa.CheckConstraint(
        "covered_loss_minor >= 0 AND deductible_minor >= 0 AND indemnity_minor >= 0"
        " AND paid_minor BETWEEN 0 AND indemnity_minor AND shared_minor BETWEEN 0 AND paid_minor",
        name="amounts_in_range",
    ),
    sa.CheckConstraint("char_length(rejection_reason) <= 500", name="reason_length"),
    _percent("indemnity_percent"),
    _dates("filed_on"),
)
sa.Index("ix_insurance_claims_policy", insurance_claims.c.tenant_id, insurance_claims.c.policy_id)

claim_lines = sa.Table(
    "claim_lines",
    metadata,
    _tenant(),
    sa.Column("claim_id", UUID(as_uuid=True), nullable=False),
    sa.Column("invoice_id", UUID(as_uuid=True), nullable=False),
    sa.Column("open_minor", sa.BigInteger, nullable=False),
    sa.Column("covered_minor", sa.BigInteger, nullable=False),
    sa.Column("released", sa.Boolean, nullable=False, server_default=sa.text("false")),
    sa.PrimaryKeyConstraint("tenant_id", "claim_id", "invoice_id"),
    _fk(["claim_id"], "insurance_claims", ["id"]),
    _fk(["invoice_id"], "invoices", ["id"]),
    sa.CheckConstraint("covered_minor BETWEEN 0 AND open_minor", name="covered_in_range"),
)
#: An invoice is in at most one live claim (a rejected claim releases its invoices).
sa.Index(
    "uq_claim_lines_live_invoice",
    claim_lines.c.tenant_id,
    claim_lines.c.invoice_id,
    unique=True,
    postgresql_where=sa.text("NOT released"),
)

claim_movements = sa.Table(
    "claim_movements",
    metadata,
    _tenant(),
    _id(),
    sa.Column("claim_id", UUID(as_uuid=True), nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("on_date", sa.Date, nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("insurer_minor", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("reference", sa.Text),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _fk(["claim_id"], "insurance_claims", ["id"]),
    sa.CheckConstraint("kind IN ('INDEMNITY','RECOVERY')", name="kind_known"),
    sa.CheckConstraint(
        "amount_minor > 0 AND insurer_minor BETWEEN 0 AND amount_minor", name="amounts_in_range"
    ),
    sa.CheckConstraint("char_length(reference) <= 200", name="reference_length"),
    _dates("on_date"),
)
sa.Index("ix_claim_movements_claim", claim_movements.c.tenant_id, claim_movements.c.claim_id)

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

risk_documents = sa.Table(
    "risk_documents",
    metadata,
    _tenant(),
    _id(),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("content", JSONB, nullable=False),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _fk(["customer_id"], "customers", ["id"]),
    sa.CheckConstraint(
        "kind IN ('OVERDUE_NOTIFICATION','CLAIM_PACK','ASSIGNMENT_NOTICE')", name="kind_known"
    ),
)

risk_document_pdfs = sa.Table(
    "risk_document_pdfs",
    metadata,
    _tenant(),
    sa.Column("document_id", UUID(as_uuid=True), nullable=False),
    sa.Column("lang", sa.Text, nullable=False),
    sa.Column("pdf", sa.LargeBinary, nullable=False),
    sa.Column("sha256", sa.Text, nullable=False),
    sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "document_id", "lang"),
    _fk(["document_id"], "risk_documents", ["id"]),
    sa.CheckConstraint("lang IN ('zh-CN','en')", name="lang_known"),
)

RISK_TRANSFER_TABLES = (
    insurance_policies,
    buyer_covers,
    cover_decisions,
    insurer_actions,
    insurance_notices,
    insurer_notifications,
    insurer_notification_lines,
    insurance_declarations,
    insurance_claims,
    claim_lines,
    claim_movements,
    factoring_agreements,
    factoring_debtor_limits,
    factoring_batches,
    factored_invoices,
    factoring_entries,
    factor_statements,
    factor_statement_lines,
    risk_documents,
    risk_document_pdfs,
)
#: Facts the app adds but never edits: corrections are reversals or new entries.
APPEND_ONLY = (
    "cover_decisions",
    "insurance_notices",
    "insurer_notification_lines",
    "claim_movements",
    "factoring_entries",
    "factor_statement_lines",
    "risk_document_pdfs",
)
