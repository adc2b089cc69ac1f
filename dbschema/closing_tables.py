"""Closing tables: month-end provision runs and their lines, write-offs, the bad-debt cases."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from dbschema.ledger_tables import _created, _customer_fk, _id, _tenant
from dbschema.tables import NOW, metadata

provision_runs = sa.Table(
    "provision_runs",
    metadata,
    _tenant(),
    _id(),
    sa.Column("period_end", sa.Date, nullable=False),
    sa.Column("basis", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="OPEN"),
    sa.Column("totals", JSONB, nullable=False),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
    sa.Column("closed_by", sa.Text),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint("tenant_id", "period_end"),
    sa.CheckConstraint("status IN ('OPEN','CLOSED')", name="status_known"),
    sa.CheckConstraint("basis IN ('AGE','DPD')", name="basis_known"),
)

#: One row per customer and currency of a run; each invoice's line sits in the parallel
#: arrays (same order), so a run over a million invoices writes thousands of rows, not millions.
provision_customer_lines = sa.Table(
    "provision_customer_lines",
    metadata,
    _tenant(),
    sa.Column("run_id", UUID(as_uuid=True), nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("open_minor", sa.BigInteger, nullable=False),
    sa.Column("provision_minor", sa.BigInteger, nullable=False),
    sa.Column("previous_minor", sa.BigInteger, nullable=False),
    sa.Column("charge_minor", sa.BigInteger, nullable=False),
    sa.Column("release_minor", sa.BigInteger, nullable=False),
    sa.Column("utilised_minor", sa.BigInteger, nullable=False),
    sa.Column("invoice_ids", ARRAY(UUID(as_uuid=True)), nullable=False),
    sa.Column("invoice_open", ARRAY(sa.BigInteger), nullable=False),
    sa.Column("invoice_rate", ARRAY(sa.Numeric(6, 4)), nullable=False),
    sa.Column("invoice_provision", ARRAY(sa.BigInteger), nullable=False),
    sa.Column("invoice_previous", ARRAY(sa.BigInteger), nullable=False),
    sa.PrimaryKeyConstraint("tenant_id", "run_id", "customer_id", "currency"),
    sa.ForeignKeyConstraint(
        ["tenant_id", "run_id"],
        ["provision_runs.tenant_id", "provision_runs.id"],
        ondelete="CASCADE",
    ),
)
sa.Index(
    "ix_provision_customer_lines_largest",
    provision_customer_lines.c.tenant_id,
    provision_customer_lines.c.run_id,
    provision_customer_lines.c.provision_minor.desc(),
    provision_customer_lines.c.customer_id,
    provision_customer_lines.c.currency,
)

write_off_proposals = sa.Table(
    "write_off_proposals",
    metadata,
    _tenant(),
    _id(),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("total_minor", sa.BigInteger, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("evidence", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("status", sa.Text, nullable=False, server_default="PROPOSED"),
    sa.Column("required_roles", JSONB, nullable=False),
    sa.Column("posted_at", sa.DateTime(timezone=True)),
    sa.Column("idempotency_key", sa.Text),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _customer_fk(),
    sa.CheckConstraint("total_minor > 0", name="total_positive"),
    sa.CheckConstraint(
        "status IN ('PROPOSED','APPROVED','POSTED','REJECTED')", name="status_known"
    ),
)

write_off_lines = sa.Table(
    "write_off_lines",
    metadata,
    _tenant(),
    sa.Column("proposal_id", UUID(as_uuid=True), nullable=False),
    sa.Column("invoice_id", UUID(as_uuid=True), nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.PrimaryKeyConstraint("tenant_id", "proposal_id", "invoice_id"),
    sa.ForeignKeyConstraint(
        ["tenant_id", "proposal_id"], ["write_off_proposals.tenant_id", "write_off_proposals.id"]
    ),
    sa.ForeignKeyConstraint(["tenant_id", "invoice_id"], ["invoices.tenant_id", "invoices.id"]),
    sa.CheckConstraint("amount_minor > 0", name="amount_positive"),
)

write_off_approvals = sa.Table(
    "write_off_approvals",
    metadata,
    _tenant(),
    sa.Column("proposal_id", UUID(as_uuid=True), nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("approver", sa.Text, nullable=False),
    sa.Column("decision", sa.Text, nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "proposal_id", "role"),
    sa.ForeignKeyConstraint(
        ["tenant_id", "proposal_id"], ["write_off_proposals.tenant_id", "write_off_proposals.id"]
    ),
    sa.CheckConstraint("decision IN ('APPROVED','REJECTED')", name="decision_known"),
)

bad_debt_cases = sa.Table(
    "bad_debt_cases",
    metadata,
    _tenant(),
    _id(),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("proposal_id", UUID(as_uuid=True), nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("cause", sa.Text, nullable=False),
    sa.Column("lessons", sa.Text),
    sa.Column("recovered_minor", sa.BigInteger, nullable=False, server_default="0"),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint("tenant_id", "proposal_id"),
    _customer_fk(),
)
