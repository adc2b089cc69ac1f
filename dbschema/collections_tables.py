"""Collections and statements tables: cases, tasks, the activity evidence chain, promises,
plans, reminders, monthly statements and their kept PDFs."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

from dbschema.ledger_tables import _created, _customer_fk, _id, _tenant
from dbschema.tables import NOW, metadata

statements = sa.Table(
    "statements",
    metadata,
    _tenant(),
    _id(),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("period", sa.Date, nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("opening_minor", sa.BigInteger, nullable=False),
    sa.Column("closing_minor", sa.BigInteger, nullable=False),
    sa.Column("content", JSONB, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="GENERATED"),
    sa.Column("status_by", sa.Text),
    sa.Column("status_at", sa.DateTime(timezone=True)),
    sa.Column("status_note", sa.Text),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint("tenant_id", "customer_id", "period", "currency"),
    _customer_fk(),
    sa.CheckConstraint(
        "status IN ('GENERATED','SENT','CONFIRMED','DISPUTED')", name="status_known"
    ),
)

collection_cases = sa.Table(
    "collection_cases",
    metadata,
    _tenant(),
    _id(),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("stage", sa.Text, nullable=False),
    sa.Column("owner_role", sa.Text, nullable=False),
    sa.Column("next_action", sa.Text, nullable=False),
    sa.Column("next_action_on", sa.Date, nullable=False),
    sa.Column("days_overdue", sa.Integer, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="OPEN"),
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _customer_fk(),
    sa.CheckConstraint("status IN ('OPEN','CLOSED')", name="status_known"),
)
sa.Index(
    "uq_collection_cases_open",
    collection_cases.c.tenant_id,
    collection_cases.c.customer_id,
    unique=True,
    postgresql_where=sa.text("status = 'OPEN'"),
)

collection_tasks = sa.Table(
    "collection_tasks",
    metadata,
    _tenant(),
    _id(),
    sa.Column("case_id", UUID(as_uuid=True), nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="OPEN"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.ForeignKeyConstraint(
        ["tenant_id", "case_id"], ["collection_cases.tenant_id", "collection_cases.id"]
    ),
    sa.CheckConstraint("status IN ('OPEN','DONE')", name="status_known"),
)

activities = sa.Table(
    "activities",
    metadata,
    _tenant(),
    _id(),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("case_id", UUID(as_uuid=True)),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("outcome", sa.Text),
    sa.Column("notes", sa.Text),
    sa.Column("document_ref", sa.Text),
    sa.Column("document_id", UUID(as_uuid=True)),  #: the archived copy of what was sent
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _customer_fk(),
    sa.ForeignKeyConstraint(
        ["tenant_id", "document_id"], ["sent_documents.tenant_id", "sent_documents.id"]
    ),
    sa.CheckConstraint(
        "kind IN ('CALL','EMAIL','LETTER','VISIT','LEGAL','NOTE','REMINDER','DUNNING_LETTER',"
        "'STATEMENT')",
        name="kind_known",
    ),
)
sa.Index(
    "ix_activities_customer",
    activities.c.tenant_id,
    activities.c.customer_id,
    activities.c.occurred_at,
)

promises = sa.Table(
    "promises",
    metadata,
    _tenant(),
    _id(),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("promised_on", sa.Date, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="OPEN"),
    sa.Column("baseline_paid_minor", sa.BigInteger, nullable=False),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _customer_fk(),
    sa.CheckConstraint("amount_minor > 0", name="amount_positive"),
    sa.CheckConstraint("status IN ('OPEN','KEPT','BROKEN')", name="status_known"),
)

payment_plans = sa.Table(
    "payment_plans",
    metadata,
    _tenant(),
    _id(),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="ACTIVE"),
    sa.Column("schedule", JSONB, nullable=False),
    sa.Column("baseline_paid_minor", sa.BigInteger, nullable=False),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _customer_fk(),
    sa.CheckConstraint("status IN ('ACTIVE','COMPLETED','DEFAULTED')", name="status_known"),
)

reminders = sa.Table(
    "reminders",
    metadata,
    _tenant(),
    sa.Column("invoice_id", UUID(as_uuid=True), nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("sent_on", sa.Date, nullable=False),
    sa.PrimaryKeyConstraint("tenant_id", "invoice_id", "kind"),
    sa.ForeignKeyConstraint(["tenant_id", "invoice_id"], ["invoices.tenant_id", "invoices.id"]),
)

statement_documents = sa.Table(
    "statement_documents",
    metadata,
    _tenant(),
    sa.Column("statement_id", UUID(as_uuid=True), nullable=False),
    sa.Column("lang", sa.Text, nullable=False),
    sa.Column("pdf", sa.LargeBinary, nullable=False),
    sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "statement_id", "lang"),
    sa.ForeignKeyConstraint(
        ["tenant_id", "statement_id"], ["statements.tenant_id", "statements.id"], ondelete="CASCADE"
    ),
    sa.CheckConstraint("lang IN ('zh-CN','en')", name="lang_known"),
)
