"""Receivables tables: the ledger (append-only facts) and what collections and closing keep.

Currency travels in composite keys, so an allocation can only join an invoice and a payment
of its own currency: the database itself refuses a mixed-currency allocation.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

from dbschema.checks import (
    MinorSum,
    date_in_range,
    json_size,
    length,
    within_ceiling,
)
from dbschema.tables import NEW_UUID, NOW, metadata
from domain import texts

#: An idempotency key as stored: the client's key, or "external:" and an external id.
STORED_KEY_CHARS = 256
#: Activities the platform writes quote an input note ("Statement 2026-10 CNY: disputed
#: (<note>)"), so the column holds a little more than one note.
ACTIVITY_NOTES_CHARS = 4000
#: A proposal's evidence list as JSON: 20 references of 500 characters, quoted and separated.
EVIDENCE_CHARS = 12_000
#: A payment plan's schedule as JSON: 120 instalments of a date and an amount.
PLAN_CHARS = 20_000
#: Percent of an invoice page filled by inserts: the rest is room for balance updates.
INVOICE_FILLFACTOR = 90


def _tenant() -> sa.Column[object]:
    return sa.Column(
        "tenant_id",
        UUID(as_uuid=True),
        sa.ForeignKey("tenants.id", ondelete="CASCADE"),
        nullable=False,
    )


def _id() -> sa.Column[object]:
    return sa.Column("id", UUID(as_uuid=True), nullable=False, server_default=NEW_UUID)


def _customer_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"]
    )


def _created() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
        sa.Column("created_by", sa.Text, nullable=False),
    ]


payment_terms = sa.Table(
    "payment_terms",
    metadata,
    _tenant(),
    _id(),
    sa.Column("code", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("net_days", sa.Integer, nullable=False, server_default="0"),
    sa.Column("eom_plus_days", sa.Integer, nullable=False, server_default="0"),
    sa.Column("instalments", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint("tenant_id", "code"),
    sa.CheckConstraint("kind IN ('NET','END_OF_MONTH','INSTALMENTS')", name="kind_known"),
    sa.CheckConstraint("net_days >= 0 AND eom_plus_days >= 0", name="days_not_negative"),
    length("code", texts.CODE),
    length("name", texts.NAME),
    json_size("instalments", 10_000, 60),
)

invoices = sa.Table(
    "invoices",
    metadata,
    _tenant(),
    _id(),
    sa.Column("number", sa.Text, nullable=False),
    sa.Column("external_id", sa.Text),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("order_ref", sa.Text),
    sa.Column("issue_date", sa.Date, nullable=False),
    sa.Column("due_date", sa.Date, nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("open_minor", sa.BigInteger, nullable=False),
    sa.Column("disputed_minor", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("written_off_minor", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("salesperson", sa.Text),
    sa.Column("fingerprint", sa.Text, nullable=False),
    *_created(),
    # Whether anything is owed, kept by the database: the open-items index is partial on it
    # rather than on open_minor, so a part payment changes no indexed column and the balance
    # update stays on its heap page (HOT) instead of adding an entry to every index.
    sa.Column("is_open", sa.Boolean, sa.Computed("open_minor > 0", persisted=True), nullable=False),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint("tenant_id", "number"),
    sa.UniqueConstraint("tenant_id", "external_id"),
    sa.UniqueConstraint("tenant_id", "id", "currency"),
    _customer_fk(),
    sa.CheckConstraint("amount_minor > 0", name="amount_positive"),
    sa.CheckConstraint("open_minor >= 0 AND open_minor <= amount_minor", name="open_in_range"),
    sa.CheckConstraint(
        "disputed_minor >= 0 AND disputed_minor <= amount_minor", name="disputed_in_range"
    ),
    sa.CheckConstraint("written_off_minor >= 0", name="written_off_not_negative"),
    sa.CheckConstraint("due_date >= issue_date", name="due_after_issue"),
    date_in_range("issue_date"),
    date_in_range("due_date"),
    within_ceiling("amount_minor"),
    length("number", texts.REFERENCE),
    length("external_id", texts.REFERENCE),
    length("order_ref", texts.REFERENCE),
    length("salesperson", texts.NAME),
    # a tenth of each page free: a balance update finds room for its new version beside the
    # old one (HOT) instead of adding an entry to every index of the table
    postgresql_with={"fillfactor": INVOICE_FILLFACTOR},
)
#: A customer's open invoices per currency, oldest due first: allocation, exposure, guarantee
#: calls and the warning facts read them here. open_minor is in no index (nor in a predicate),
#: and the table keeps a tenth of each page free (migration 0024), so a balance update is HOT.
sa.Index(
    "ix_invoices_open",
    invoices.c.tenant_id,
    invoices.c.customer_id,
    invoices.c.currency,
    invoices.c.due_date,
    postgresql_where=sa.text("is_open"),
)
sa.Index(
    "ix_invoices_customer_issue",
    invoices.c.tenant_id,
    invoices.c.customer_id,
    invoices.c.issue_date,
)

invoice_instalments = sa.Table(
    "invoice_instalments",
    metadata,
    _tenant(),
    sa.Column("invoice_id", UUID(as_uuid=True), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("due_date", sa.Date, nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.PrimaryKeyConstraint("tenant_id", "invoice_id", "seq"),
    sa.ForeignKeyConstraint(
        ["tenant_id", "invoice_id"], ["invoices.tenant_id", "invoices.id"], ondelete="CASCADE"
    ),
    sa.CheckConstraint("amount_minor > 0", name="amount_positive"),
    date_in_range("due_date"),
    within_ceiling("amount_minor"),
)

payments = sa.Table(
    "payments",
    metadata,
    _tenant(),
    _id(),
    sa.Column("external_id", sa.Text),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("received_on", sa.Date, nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("unallocated_minor", sa.BigInteger, nullable=False),
    sa.Column("method", sa.Text, nullable=False),
    sa.Column("reference", sa.Text),
    sa.Column("status", sa.Text, nullable=False, server_default="POSTED"),
    sa.Column("reversed_at", sa.DateTime(timezone=True)),
    sa.Column("reversal_reason", sa.Text),
    sa.Column("is_recovery", sa.Boolean, nullable=False, server_default=sa.false()),
    # the bad-debt case a recovery recovers (reversing the payment undoes the recovery)
    sa.Column("recovery_case_id", UUID(as_uuid=True)),
    sa.Column("fingerprint", sa.Text, nullable=False),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint("tenant_id", "external_id"),
    sa.UniqueConstraint("tenant_id", "id", "currency"),
    _customer_fk(),
    sa.CheckConstraint("amount_minor > 0", name="amount_positive"),
    sa.CheckConstraint(
        "unallocated_minor >= 0 AND unallocated_minor <= amount_minor", name="unallocated_in_range"
    ),
    sa.CheckConstraint("status IN ('POSTED','REVERSED')", name="status_known"),
    sa.ForeignKeyConstraint(
        ["tenant_id", "recovery_case_id"], ["bad_debt_cases.tenant_id", "bad_debt_cases.id"]
    ),
    sa.CheckConstraint("recovery_case_id IS NULL OR is_recovery", name="recovery_names_case"),
    sa.CheckConstraint(
        "method IN ('BANK_TRANSFER','CHEQUE','CASH','CARD','BILL','OTHER')", name="method_known"
    ),
    date_in_range("received_on"),
    within_ceiling("amount_minor"),
    length("external_id", texts.REFERENCE),
    length("reference", texts.REFERENCE),
    length("reversal_reason", texts.NOTE),
)
sa.Index(
    "ix_payments_customer", payments.c.tenant_id, payments.c.customer_id, payments.c.received_on
)

credit_notes = sa.Table(
    "credit_notes",
    metadata,
    _tenant(),
    _id(),
    sa.Column("number", sa.Text, nullable=False),
    sa.Column("external_id", sa.Text),
    sa.Column("invoice_id", UUID(as_uuid=True), nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("issue_date", sa.Date, nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("fingerprint", sa.Text, nullable=False),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint("tenant_id", "number"),
    sa.UniqueConstraint("tenant_id", "external_id"),
    sa.UniqueConstraint("tenant_id", "id", "currency"),
    sa.ForeignKeyConstraint(
        ["tenant_id", "invoice_id", "currency"],
        ["invoices.tenant_id", "invoices.id", "invoices.currency"],
    ),
    _customer_fk(),
    sa.CheckConstraint("amount_minor > 0", name="amount_positive"),
    date_in_range("issue_date"),
    within_ceiling("amount_minor"),
    length("number", texts.REFERENCE),
    length("external_id", texts.REFERENCE),
    length("reason", texts.NOTE),
)

allocations = sa.Table(
    "allocations",
    metadata,
    _tenant(),
    _id(),
    sa.Column("invoice_id", UUID(as_uuid=True), nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("payment_id", UUID(as_uuid=True)),
    sa.Column("credit_note_id", UUID(as_uuid=True)),
    sa.Column("write_off_id", UUID(as_uuid=True)),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("reverses_id", UUID(as_uuid=True)),
    sa.Column("effective_on", sa.Date, nullable=False),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.ForeignKeyConstraint(
        ["tenant_id", "invoice_id", "currency"],
        ["invoices.tenant_id", "invoices.id", "invoices.currency"],
    ),
    sa.ForeignKeyConstraint(
        ["tenant_id", "payment_id", "currency"],
        ["payments.tenant_id", "payments.id", "payments.currency"],
    ),
    sa.ForeignKeyConstraint(
        ["tenant_id", "credit_note_id", "currency"],
        ["credit_notes.tenant_id", "credit_notes.id", "credit_notes.currency"],
    ),
    sa.CheckConstraint("kind IN ('PAYMENT','CREDIT_NOTE','WRITE_OFF')", name="kind_known"),
    sa.CheckConstraint("amount_minor <> 0", name="amount_not_zero"),
    sa.CheckConstraint(
        "(kind = 'PAYMENT') = (payment_id IS NOT NULL) AND "
        "(kind = 'CREDIT_NOTE') = (credit_note_id IS NOT NULL) AND "
        "(kind = 'WRITE_OFF') = (write_off_id IS NOT NULL)",
        name="one_source",
    ),
    sa.CheckConstraint(
        "(amount_minor < 0) = (reverses_id IS NOT NULL)", name="negative_only_as_reversal"
    ),
    date_in_range("effective_on"),
    within_ceiling("amount_minor", signed=True),
)
sa.Index("ix_allocations_invoice", allocations.c.tenant_id, allocations.c.invoice_id)
sa.Index(
    "ix_allocations_effective",
    allocations.c.tenant_id,
    allocations.c.effective_on,
    postgresql_include=["invoice_id", "amount_minor"],
)
sa.Index(
    "ix_allocations_payment",
    allocations.c.tenant_id,
    allocations.c.payment_id,
    postgresql_where=sa.text("payment_id IS NOT NULL"),
)

disputes = sa.Table(
    "disputes",
    metadata,
    _tenant(),
    _id(),
    sa.Column("invoice_id", UUID(as_uuid=True), nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="OPEN"),
    sa.Column("resolution", sa.Text),
    sa.Column("resolved_at", sa.DateTime(timezone=True)),
    sa.Column("resolved_by", sa.Text),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.ForeignKeyConstraint(["tenant_id", "invoice_id"], ["invoices.tenant_id", "invoices.id"]),
    sa.CheckConstraint("amount_minor > 0", name="amount_positive"),
    sa.CheckConstraint("status IN ('OPEN','RESOLVED','REJECTED')", name="status_known"),
    within_ceiling("amount_minor"),
    length("reason", texts.NOTE),
    length("resolution", texts.NOTE),
)

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    _tenant(),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("operation", sa.Text, nullable=False),
    sa.Column("fingerprint", sa.Text, nullable=False),
    sa.Column("result", JSONB, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "operation", "key"),
    length("key", STORED_KEY_CHARS),
)

aging_snapshots = sa.Table(
    "aging_snapshots",
    metadata,
    _tenant(),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("open_minor", MinorSum, nullable=False),
    sa.Column("overdue_minor", MinorSum, nullable=False),
    sa.Column("buckets", JSONB, nullable=False),
    sa.Column("weighted_days_past_due", sa.Numeric(12, 2), nullable=False),
    sa.PrimaryKeyConstraint("tenant_id", "as_of", "customer_id", "currency"),
    _customer_fk(),
    date_in_range("as_of"),
)
