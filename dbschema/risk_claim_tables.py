"""Credit insurance claim tables: a claim, the invoices it names, and the insurer's payments
and the recoveries after it.

Claim movements are append-only for the application role (granted in migration 0016).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID

from dbschema.risk_transfer_columns import PERCENT, _created, _dates, _fk, _id, _percent, _tenant
from dbschema.tables import metadata

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

#: Every table of this module, in creation order.
TABLES = (
    insurance_claims,
    claim_lines,
    claim_movements,
)
#: Facts the app adds but never edits: corrections are reversals or new entries.
APPEND_ONLY = ("claim_movements",)
