"""Risk security tables: guarantors, guarantees, their calls and notices, collateral.

CHECKs mirror the domain's ranges (dates 1900-2199, amounts, haircut 0-100, lengths) so no
row the rules would refuse can be stored by another path. Notices, calls, their kept PDFs and
the guarantor's payments are append-only for the application role (granted in 0015).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

from dbschema.ledger_tables import _created, _customer_fk, _id, _tenant
from dbschema.tables import NOW, metadata
from domain.dates import SQL_RANGE


def _fk(columns: list[str], table: str, referred: list[str]) -> sa.ForeignKeyConstraint:
    """A composite foreign key that carries the tenant."""
    return sa.ForeignKeyConstraint(
        ["tenant_id", *columns], [f"{table}.tenant_id", *(f"{table}.{c}" for c in referred)]
    )


def _dates(*columns: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(
        " AND ".join(f"({c} IS NULL OR {c} {SQL_RANGE})" for c in columns), name="dates_in_range"
    )


def _length(column: str, limit: int) -> sa.CheckConstraint:
    return sa.CheckConstraint(
        f"{column} IS NULL OR char_length({column}) BETWEEN 1 AND {limit}",
        name=f"{column}_length",
    )


KINDS = "'GENERAL','JOINT_AND_SEVERAL','BANK_GUARANTEE','STANDBY_LC'"

guarantors = sa.Table(
    "guarantors",
    metadata,
    _tenant(),
    _id(),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True)),  #: a customer on file, or NULL (external)
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("identity_number", sa.Text),  #: registration or identity number (shown masked)
    sa.Column("relationship", sa.Text),
    sa.Column("net_worth_minor", sa.BigInteger),
    sa.Column("net_worth_currency", sa.CHAR(3)),
    sa.Column("rating", sa.Text),
    sa.Column("documents", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _customer_fk(),
    sa.CheckConstraint("kind IN ('COMPANY','PERSON')", name="kind_known"),
    _length("name", 200),
    _length("identity_number", 64),
    _length("relationship", 200),
    _length("rating", 20),
    sa.CheckConstraint(
        "(net_worth_minor IS NULL) = (net_worth_currency IS NULL) AND "
        "(net_worth_minor IS NULL OR net_worth_minor >= 0)",
        name="net_worth_whole",
    ),
)

guarantees = sa.Table(
    "guarantees",
    metadata,
    _tenant(),
    _id(),
    sa.Column("reference", sa.Text, nullable=False),
    sa.Column("guarantor_id", UUID(as_uuid=True), nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("scope", sa.Text, nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("valid_to", sa.Date, nullable=False),
    sa.Column("period_months", sa.Integer),  #: the contract's 保证期间; NULL: art. 692
    sa.Column("status", sa.Text, nullable=False, server_default="ACTIVE"),
    sa.Column("status_on", sa.Date),
    sa.Column("status_note", sa.Text),
    sa.Column("documents", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint("tenant_id", "reference"),
    _fk(["guarantor_id"], "guarantors", ["id"]),
    _customer_fk(),
    sa.CheckConstraint(f"kind IN ({KINDS})", name="kind_known"),
    sa.CheckConstraint(
        "scope IN ('ALL_DEBTS','NAMED_INVOICES','UP_TO_AMOUNT')", name="scope_known"
    ),
    sa.CheckConstraint(
        "status IN ('ACTIVE','CALLED','PAID','RELEASED','EXPIRED')", name="status_known"
    ),
    sa.CheckConstraint("amount_minor > 0", name="amount_positive"),
    sa.CheckConstraint("valid_to >= valid_from", name="validity_ordered"),
    sa.CheckConstraint(
        "period_months IS NULL OR period_months BETWEEN 1 AND 120", name="period_in_range"
    ),
    _dates("valid_from", "valid_to", "status_on"),
    _length("reference", 100),
    _length("status_note", 2000),
)
sa.Index("ix_guarantees_customer", guarantees.c.tenant_id, guarantees.c.customer_id)

guarantee_invoices = sa.Table(
    "guarantee_invoices",
    metadata,
    _tenant(),
    sa.Column("guarantee_id", UUID(as_uuid=True), nullable=False),
    sa.Column("invoice_id", UUID(as_uuid=True), nullable=False),
    sa.PrimaryKeyConstraint("tenant_id", "guarantee_id", "invoice_id"),
    _fk(["guarantee_id"], "guarantees", ["id"]),
    _fk(["invoice_id"], "invoices", ["id"]),
)

guarantee_notices = sa.Table(
    "guarantee_notices",
    metadata,
    _tenant(),
    _id(),
    sa.Column("guarantee_id", UUID(as_uuid=True), nullable=False),
    sa.Column("invoice_id", UUID(as_uuid=True)),  #: the covered debt (period notices)
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("ends_on", sa.Date, nullable=False),  #: the deadline the notice is about
    sa.Column("noticed_on", sa.Date, nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint(
        "tenant_id",
        "guarantee_id",
        "invoice_id",
        "kind",
        "ends_on",
        postgresql_nulls_not_distinct=True,
    ),
    _fk(["guarantee_id"], "guarantees", ["id"]),
    sa.CheckConstraint(
        "kind IN ('PERIOD_LAPSING','PERIOD_LAPSED','EXPIRING','EXPIRED','PROPOSE_CALL',"
        "'PROPOSE_RELEASE')",
        name="kind_known",
    ),
    _dates("ends_on", "noticed_on"),
)

guarantee_calls = sa.Table(
    "guarantee_calls",
    metadata,
    _tenant(),
    _id(),
    sa.Column("guarantee_id", UUID(as_uuid=True), nullable=False),
    sa.Column("called_on", sa.Date, nullable=False),
    sa.Column("demanded_minor", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("content", JSONB, nullable=False),  #: the letter's data, frozen when called
    sa.Column("activity_id", UUID(as_uuid=True)),  #: its entry in the evidence chain
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint("tenant_id", "guarantee_id"),
    _fk(["guarantee_id"], "guarantees", ["id"]),
    sa.CheckConstraint("demanded_minor > 0", name="amount_positive"),
    _dates("called_on"),
)

guarantee_call_pdfs = sa.Table(
    "guarantee_call_pdfs",
    metadata,
    _tenant(),
    sa.Column("call_id", UUID(as_uuid=True), nullable=False),
    sa.Column("lang", sa.Text, nullable=False),
    sa.Column("pdf", sa.LargeBinary, nullable=False),
    sa.Column("sha256", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "call_id", "lang"),
    _fk(["call_id"], "guarantee_calls", ["id"]),
    sa.CheckConstraint("lang IN ('zh-CN','en')", name="lang_known"),
)

guarantee_payments = sa.Table(
    "guarantee_payments",
    metadata,
    _tenant(),
    sa.Column("payment_id", UUID(as_uuid=True), nullable=False),
    sa.Column("guarantee_id", UUID(as_uuid=True), nullable=False),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "payment_id"),
    _fk(["payment_id"], "payments", ["id"]),
    _fk(["guarantee_id"], "guarantees", ["id"]),
)
sa.Index("ix_guarantee_payments_guarantee", guarantee_payments.c.tenant_id,
         guarantee_payments.c.guarantee_id)  # fmt: skip

collateral = sa.Table(
    "collateral",
    metadata,
    _tenant(),
    _id(),
    sa.Column("reference", sa.Text, nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("form", sa.Text, nullable=False),
    sa.Column("asset_kind", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("appraised_minor", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("appraised_on", sa.Date, nullable=False),
    sa.Column("haircut_percent", sa.Numeric(5, 2), nullable=False),
    sa.Column("registration_ref", sa.Text),
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("valid_to", sa.Date),
    sa.Column("status", sa.Text, nullable=False, server_default="ACTIVE"),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint("tenant_id", "reference"),
    _customer_fk(),
    sa.CheckConstraint("form IN ('PLEDGE','MORTGAGE')", name="form_known"),
    sa.CheckConstraint(
        "asset_kind IN ('EQUIPMENT','PROPERTY','RECEIVABLES','INVENTORY','DEPOSIT')",
        name="asset_known",
    ),
    sa.CheckConstraint("status IN ('ACTIVE','RELEASED')", name="status_known"),
    sa.CheckConstraint("appraised_minor >= 0", name="appraisal_not_negative"),
    sa.CheckConstraint("haircut_percent BETWEEN 0 AND 100", name="haircut_in_range"),
    sa.CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity_ordered"),
    _dates("appraised_on", "valid_from", "valid_to"),
    _length("reference", 100),
    _length("description", 500),
    _length("registration_ref", 200),
)
sa.Index("ix_collateral_customer", collateral.c.tenant_id, collateral.c.customer_id)

collateral_notices = sa.Table(
    "collateral_notices",
    metadata,
    _tenant(),
    _id(),
    sa.Column("collateral_id", UUID(as_uuid=True), nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("noticed_on", sa.Date, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint("tenant_id", "collateral_id", "kind", "due_on"),
    _fk(["collateral_id"], "collateral", ["id"]),
    sa.CheckConstraint("kind IN ('REAPPRAISAL_DUE','REAPPRAISAL_OVERDUE')", name="kind_known"),
    _dates("due_on", "noticed_on"),
)

risk_security_settings = sa.Table(
    "risk_security_settings",
    metadata,
    _tenant(),
    sa.Column("check_basis", sa.Text, nullable=False, server_default="GROSS"),
    sa.Column("provision_basis", sa.Text, nullable=False, server_default="GROSS"),
    sa.Column("weights", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("expiry_warning_days", sa.Integer, nullable=False, server_default="30"),
    sa.Column("period_warning_days", sa.Integer, nullable=False, server_default="30"),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.Column("updated_by", sa.Text, nullable=False),
    sa.PrimaryKeyConstraint("tenant_id"),
    sa.CheckConstraint(
        "check_basis IN ('GROSS','NET') AND provision_basis IN ('GROSS','NET')",
        name="basis_known",
    ),
    sa.CheckConstraint(
        "expiry_warning_days BETWEEN 0 AND 365 AND period_warning_days BETWEEN 0 AND 365",
        name="days_in_range",
    ),
)

#: Every table of this module, in creation order.
TABLES = (
    guarantors,
    guarantees,
    guarantee_invoices,
    guarantee_notices,
    guarantee_calls,
    guarantee_call_pdfs,
    guarantee_payments,
    collateral,
    collateral_notices,
    risk_security_settings,
)
