"""The graph model as SQLAlchemy Core tables: every key carries tenant_id."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

from dbschema.checks import date_in_range, json_size, length, within_ceiling
from domain import texts

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

NOW = sa.text("now()")
#: A contact list's JSON at most: 50 contacts of name, role, phone and e-mail at their limits.
CONTACTS_CHARS = 50_000
NEW_UUID = sa.text("gen_random_uuid()")


def _tenant() -> sa.Column[object]:
    return sa.Column(
        "tenant_id",
        UUID(as_uuid=True),
        sa.ForeignKey("tenants.id", ondelete="CASCADE"),
        nullable=False,
    )


tenants = sa.Table(
    "tenants",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True, server_default=NEW_UUID),
    sa.Column("slug", sa.Text, nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("settings", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.CheckConstraint("slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'", name="slug_format"),
)

customers = sa.Table(
    "customers",
    metadata,
    _tenant(),
    sa.Column("id", UUID(as_uuid=True), nullable=False, server_default=NEW_UUID),
    sa.Column("code", sa.Text, nullable=False),
    sa.Column("legal_name", sa.Text, nullable=False),
    sa.Column("country", sa.CHAR(2), nullable=False),
    sa.Column("registration_number", sa.Text),
    sa.Column("industry", sa.Text),
    sa.Column("status", sa.Text, nullable=False, server_default="ACTIVE"),
    sa.Column("founded_on", sa.Date),
    sa.Column("registered_capital_minor", sa.BigInteger),
    sa.Column("registered_capital_currency", sa.CHAR(3)),
    sa.Column("annual_sales_minor", sa.BigInteger),
    sa.Column("annual_sales_currency", sa.CHAR(3)),
    sa.Column("business_model", sa.Text),
    sa.Column("company_history", sa.Text),
    sa.Column("salesperson", sa.Text),
    sa.Column("contacts", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("last_reviewed_on", sa.Date),
    sa.Column("rating_class", sa.CHAR(1)),
    sa.Column("payment_terms_code", sa.Text),
    sa.Column("late_interest_daily_rate", sa.Numeric(10, 8)),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint("tenant_id", "code"),
    sa.CheckConstraint("status IN ('ACTIVE', 'ARCHIVED')", name="status_known"),
    sa.CheckConstraint("registered_capital_minor >= 0", name="capital_not_negative"),
    sa.CheckConstraint("rating_class IN ('A','B','C','D')", name="rating_class_known"),
    sa.CheckConstraint(
        "late_interest_daily_rate >= 0 AND late_interest_daily_rate < 0.01",
        name="interest_rate_sane",
    ),
    sa.CheckConstraint("annual_sales_minor >= 0", name="sales_not_negative"),
    sa.CheckConstraint(
        "(registered_capital_minor IS NULL) = (registered_capital_currency IS NULL)",
        name="capital_has_currency",
    ),
    sa.CheckConstraint(
        "(annual_sales_minor IS NULL) = (annual_sales_currency IS NULL)",
        name="sales_has_currency",
    ),
    date_in_range("founded_on"),
    date_in_range("last_reviewed_on"),
    within_ceiling("registered_capital_minor"),
    within_ceiling("annual_sales_minor"),
    length("code", texts.CODE),
    length("legal_name", texts.LEGAL_NAME),
    length("registration_number", texts.CODE),
    length("industry", texts.SHORT),
    length("business_model", texts.SUMMARY),
    length("company_history", texts.TEXT),
    length("salesperson", texts.NAME),
    length("payment_terms_code", texts.CODE),
    json_size("contacts", CONTACTS_CHARS, texts.MAX_CONTACTS),
)
#: by name in pinyin order: GB 18030 bytes through customer_name_key (migration 0023)
sa.Index(
    "ix_customers_tenant_name",
    customers.c.tenant_id,
    sa.text("customer_name_key(legal_name)"),
    customers.c.id,
)
sa.Index(
    "ix_customers_tenant_created", customers.c.tenant_id, customers.c.created_at, customers.c.id
)
sa.Index(
    "ix_customers_search",
    sa.text(
        "(lower(legal_name || ' ' || code || ' ' || coalesce(registration_number, ''))) "
        "gin_trgm_ops"
    ),
    postgresql_using="gin",
)

customer_relations = sa.Table(
    "customer_relations",
    metadata,
    _tenant(),
    sa.Column("id", UUID(as_uuid=True), nullable=False, server_default=NEW_UUID),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("related_customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.ForeignKeyConstraint(
        ["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"], ondelete="CASCADE"
    ),
    sa.ForeignKeyConstraint(
        ["tenant_id", "related_customer_id"],
        ["customers.tenant_id", "customers.id"],
        ondelete="CASCADE",
    ),
    sa.UniqueConstraint("tenant_id", "customer_id", "related_customer_id", "kind"),
    sa.CheckConstraint("customer_id <> related_customer_id", name="not_self"),
    sa.CheckConstraint(
        "kind IN ('PARENT','SUBSIDIARY','SHAREHOLDER','KEY_SUPPLIER','KEY_BUYER','GUARANTOR')",
        name="kind_known",
    ),
    length("note", texts.NOTE),
)

credit_file_entries = sa.Table(
    "credit_file_entries",
    metadata,
    _tenant(),
    sa.Column("id", UUID(as_uuid=True), nullable=False, server_default=NEW_UUID),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("occurred_on", sa.Date, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("body", sa.Text),
    sa.Column("document_ref", sa.Text),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.ForeignKeyConstraint(
        ["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"], ondelete="CASCADE"
    ),
    date_in_range("occurred_on"),
    length("kind", texts.CODE),
    length("title", texts.NAME),
    length("body", texts.TEXT),
    length("document_ref", texts.REFERENCE),
)
sa.Index(
    "ix_credit_file_entries_customer",
    credit_file_entries.c.tenant_id,
    credit_file_entries.c.customer_id,
    credit_file_entries.c.occurred_on,
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    _tenant(),
    sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
    sa.Column("entity_type", sa.Text, nullable=False),
    sa.Column("entity_id", UUID(as_uuid=True), nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True)),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("request_id", sa.Text),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.Column("changes", JSONB, nullable=False),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
)
sa.Index("ix_audit_log_customer", audit_log.c.tenant_id, audit_log.c.customer_id, audit_log.c.id)

warnings = sa.Table(
    "warnings",
    metadata,
    _tenant(),
    sa.Column("id", UUID(as_uuid=True), nullable=False, server_default=NEW_UUID),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("level", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="OPEN"),
    sa.Column("evidence", JSONB, nullable=False),
    sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.Column("acknowledged_by", sa.Text),
    sa.Column("acknowledged_at", sa.DateTime(timezone=True)),
    sa.Column("acknowledge_note", sa.Text),
    # the rules engine (0020): dedupe keys, lifecycle, feedback, SLA and its escalation
    sa.Column("rule_key", sa.Text, nullable=False, server_default=""),
    sa.Column("window_key", sa.Text, nullable=False, server_default=""),
    sa.Column("level_raised_at", sa.DateTime(timezone=True)),
    sa.Column("status_by", sa.Text),
    sa.Column("status_at", sa.DateTime(timezone=True)),
    sa.Column("status_note", sa.Text),
    sa.Column("feedback", sa.Text),
    sa.Column("owner_role", sa.Text),
    sa.Column("sla_due_at", sa.DateTime(timezone=True)),
    sa.Column("escalated_at", sa.DateTime(timezone=True)),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.ForeignKeyConstraint(
        ["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"], ondelete="CASCADE"
    ),
    sa.CheckConstraint("level IN ('LIGHT','MEDIUM','SEVERE')", name="level_known"),
    sa.CheckConstraint(
        "status IN ('OPEN','ACKNOWLEDGED','INVESTIGATING','RESOLVED','DISMISSED')",
        name="status_known",
    ),
    sa.CheckConstraint(
        "feedback IS NULL OR feedback IN ('TRUE_ALARM','FALSE_ALARM')", name="feedback_known"
    ),
    sa.CheckConstraint("length(rule_key) <= 200 AND length(window_key) <= 200", name="keys_length"),
    sa.CheckConstraint("status_note IS NULL OR length(status_note) <= 2000", name="note_length"),
    length("acknowledge_note", texts.NOTE),
)
sa.Index(
    "uq_warnings_open_per_kind",
    warnings.c.tenant_id,
    warnings.c.customer_id,
    warnings.c.kind,
    warnings.c.rule_key,
    unique=True,
    postgresql_where=sa.text("status = 'OPEN'"),
)
sa.Index(
    "ix_warnings_rule_window",
    warnings.c.tenant_id,
    warnings.c.kind,
    warnings.c.customer_id,
    warnings.c.window_key,
)
sa.Index("ix_warnings_raised", warnings.c.tenant_id, warnings.c.raised_at, warnings.c.id)

events = sa.Table(
    "events",
    metadata,
    _tenant(),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("topic", sa.Text, nullable=False),
    sa.Column("payload", JSONB, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "seq"),
)

#: Events numbered at commit (migration 0025): a deferred trigger moves each row into
#: `events` while its transaction commits, so the tenant's event lock is held only then.
events_pending = sa.Table(
    "events_pending",
    metadata,
    _tenant(),
    sa.Column("id", sa.BigInteger, sa.Identity(always=True), nullable=False),
    sa.Column("topic", sa.Text, nullable=False),
    sa.Column("payload", JSONB, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.CheckConstraint("length(topic) BETWEEN 1 AND 100", name="topic_length"),
)

jobs = sa.Table(
    "jobs",
    metadata,
    _tenant(),
    sa.Column("id", UUID(as_uuid=True), nullable=False, server_default=NEW_UUID),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("args", JSONB, nullable=False),
    sa.Column("dedupe_key", sa.Text),
    sa.Column("status", sa.Text, nullable=False, server_default="PENDING"),
    sa.Column("requested_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.Column("dispatched_at", sa.DateTime(timezone=True)),
    sa.Column("started_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("result", JSONB),
    sa.Column("error", sa.Text),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint("tenant_id", "dedupe_key"),
    sa.CheckConstraint(
        "status IN ('PENDING','DISPATCHED','RUNNING','SUCCEEDED','FAILED')", name="status_known"
    ),
)
sa.Index("ix_jobs_pending", jobs.c.created_at, postgresql_where=sa.text("status = 'PENDING'"))

#: What migration 0017 repaired when it brought stored rows within the input rules: each
#: changed value with its old value, each row it removed (in full), each row it let keep a
#: value beyond a limit, each write-off it re-opened for a second person's approval.
#: Read-only for the application: the trail of a one-time repair.
data_repairs = sa.Table(
    "data_repairs",
    metadata,
    _tenant(),
    sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
    sa.Column("revision", sa.Text, nullable=False),
    sa.Column("table_name", sa.Text, nullable=False),
    sa.Column("row_key", JSONB, nullable=False),
    sa.Column("column_name", sa.Text),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("old_value", sa.Text),
    sa.Column("new_value", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("repaired_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.CheckConstraint(
        "action IN ('CLAMPED','DELETED','KEPT','FAILED_JOB','REOPENED')", name="action_known"
    ),
)

TENANT_TABLES = (
    customers,
    customer_relations,
    credit_file_entries,
    audit_log,
    warnings,
    events,
    events_pending,
    jobs,
    data_repairs,
)
