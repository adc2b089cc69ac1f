"""Credit limits, exposure and the credit check: rates, policy versions, limits and their
approvals, holds, open orders, reservations and the decision log.

Limits, approvals, rates, holds, policy versions and decisions are append-only (the app role
may only insert): a change is a new row, so the history is the table. Orders and
reservations are working state and change status in place, each change audited.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

# the ledger tables' column helpers, so both modules key their tables the same way
from dbschema.checks import within_ceiling
from dbschema.ledger_tables import _created, _customer_fk, _id, _tenant, invoices
from dbschema.tables import NOW, customer_relations, metadata
from domain.money import MAX_DOCUMENT_MINOR

#: The business-date window of domain.credit.bounds, as SQL.
DATE_WINDOW = "BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'"
CURRENCY = "~ '^[A-Z]{3}$'"


def _seq() -> sa.Column[object]:
    return sa.Column("seq", sa.BigInteger, sa.Identity(), nullable=False)


exchange_rates = sa.Table(
    "exchange_rates",
    metadata,
    _tenant(),
    _id(),
    _seq(),
    sa.Column("base", sa.CHAR(3), nullable=False),
    sa.Column("quote", sa.CHAR(3), nullable=False),
    sa.Column("rate", sa.Numeric(28, 12), nullable=False),
    sa.Column("effective_on", sa.Date, nullable=False),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.CheckConstraint(f"base {CURRENCY} AND quote {CURRENCY}", name="codes_format"),
    sa.CheckConstraint("base <> quote", name="two_currencies"),
    sa.CheckConstraint("rate > 0", name="rate_positive"),
    sa.CheckConstraint(f"effective_on {DATE_WINDOW}", name="date_plausible"),
)
sa.Index(
    "ix_exchange_rates_pair",
    exchange_rates.c.tenant_id,
    exchange_rates.c.base,
    exchange_rates.c.quote,
    exchange_rates.c.effective_on.desc(),
    exchange_rates.c.seq.desc(),
)

credit_policies = sa.Table(
    "credit_policies",
    metadata,
    _tenant(),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("overrides", JSONB, nullable=False),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "version"),
    sa.CheckConstraint("version > 0", name="version_positive"),
    sa.CheckConstraint("jsonb_typeof(overrides) = 'object'", name="overrides_object"),
)

_LIMIT_COLUMNS = (
    "scope IN ('CUSTOMER','GROUP')",
    "kind IN ('STANDARD','TEMPORARY')",
    "basis IN ('RECOMMENDED','MANUAL','APPLICATION','REVIEW')",
)


def _limit_checks() -> list[sa.CheckConstraint]:
    return [
        sa.CheckConstraint(_LIMIT_COLUMNS[0], name="scope_known"),
        sa.CheckConstraint(_LIMIT_COLUMNS[1], name="kind_known"),
        sa.CheckConstraint(_LIMIT_COLUMNS[2], name="basis_known"),
        sa.CheckConstraint(f"currency {CURRENCY}", name="currency_format"),
        # a request above the ceiling every job can carry is refused (migration 0027)
        sa.CheckConstraint(
            f"amount_minor >= 0 AND amount_minor <= {MAX_DOCUMENT_MINOR}", name="amount_in_range"
        ),
        sa.CheckConstraint("kind = 'STANDARD' OR amount_minor > 0", name="increase_positive"),
        sa.CheckConstraint(f"valid_from {DATE_WINDOW}", name="from_plausible"),
        sa.CheckConstraint(
            f"valid_to IS NULL OR (valid_to {DATE_WINDOW} AND valid_to >= valid_from)",
            name="to_plausible",
        ),
        sa.CheckConstraint(
            "kind = 'STANDARD' OR (valid_to IS NOT NULL AND valid_to - valid_from <= 366)",
            name="increase_ends",
        ),
        sa.CheckConstraint("note IS NULL OR length(note) <= 2000", name="note_length"),
    ]


def _limit_terms() -> list[sa.Column[object]]:
    return [
        sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
        sa.Column("scope", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("currency", sa.CHAR(3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_to", sa.Date),
        sa.Column("basis", sa.Text, nullable=False),
        sa.Column("note", sa.Text),
    ]


credit_limit_requests = sa.Table(
    "credit_limit_requests",
    metadata,
    _tenant(),
    _id(),
    *_limit_terms(),
    sa.Column("tier", sa.Text, nullable=False),
    sa.Column("approvals_required", sa.SmallInteger, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="PENDING"),
    sa.Column("snapshot", JSONB, nullable=False),
    sa.Column("limit_id", UUID(as_uuid=True)),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _customer_fk(),
    *_limit_checks(),
    sa.CheckConstraint("tier IN ('ANALYST','MANAGER','TWO_MANAGERS')", name="tier_known"),
    sa.CheckConstraint("approvals_required BETWEEN 1 AND 2", name="approvals_range"),
    sa.CheckConstraint("status IN ('PENDING','APPROVED','REJECTED')", name="status_known"),
)
sa.Index(
    "ix_credit_limit_requests_pending",
    credit_limit_requests.c.tenant_id,
    credit_limit_requests.c.created_at,
    postgresql_where=sa.text("status = 'PENDING'"),
)
sa.Index(
    "ix_credit_limit_requests_customer",
    credit_limit_requests.c.tenant_id,
    credit_limit_requests.c.customer_id,
    credit_limit_requests.c.created_at,
)

credit_limit_approvals = sa.Table(
    "credit_limit_approvals",
    metadata,
    _tenant(),
    sa.Column("request_id", UUID(as_uuid=True), nullable=False),
    sa.Column("approver", sa.Text, nullable=False),
    sa.Column("roles", ARRAY(sa.Text), nullable=False),
    sa.Column("verdict", sa.Text, nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "request_id", "approver"),
    sa.ForeignKeyConstraint(
        ["tenant_id", "request_id"], ["credit_limit_requests.tenant_id", "credit_limit_requests.id"]
    ),
    sa.CheckConstraint("verdict IN ('APPROVE','REJECT')", name="verdict_known"),
    sa.CheckConstraint("reason IS NULL OR length(reason) <= 2000", name="reason_length"),
)

credit_limits = sa.Table(
    "credit_limits",
    metadata,
    _tenant(),
    _id(),
    _seq(),
    *_limit_terms(),
    sa.Column("request_id", UUID(as_uuid=True), nullable=False),
    sa.Column("requested_by", sa.Text, nullable=False),
    sa.Column("approved_by", ARRAY(sa.Text), nullable=False),
    sa.Column("decision_id", UUID(as_uuid=True), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _customer_fk(),
    sa.ForeignKeyConstraint(
        ["tenant_id", "request_id"], ["credit_limit_requests.tenant_id", "credit_limit_requests.id"]
    ),
    sa.UniqueConstraint("tenant_id", "request_id"),
    sa.ForeignKeyConstraint(
        ["tenant_id", "decision_id"], ["credit_decisions.tenant_id", "credit_decisions.id"]
    ),
    *_limit_checks(),
)
sa.Index(
    "ix_credit_limits_customer",
    credit_limits.c.tenant_id,
    credit_limits.c.customer_id,
    credit_limits.c.scope,
    credit_limits.c.seq.desc(),
)

credit_holds = sa.Table(
    "credit_holds",
    metadata,
    _tenant(),
    _seq(),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("held", sa.Boolean, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "seq"),
    _customer_fk(),
    sa.CheckConstraint("length(reason) BETWEEN 1 AND 500", name="reason_length"),
    sa.CheckConstraint("source IN ('MANUAL','WARNING')", name="source_known"),
)
sa.Index(
    "ix_credit_holds_customer",
    credit_holds.c.tenant_id,
    credit_holds.c.customer_id,
    credit_holds.c.seq.desc(),
)

sales_orders = sa.Table(
    "sales_orders",
    metadata,
    _tenant(),
    _id(),
    sa.Column("order_ref", sa.Text, nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("invoiced_minor", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("status", sa.Text, nullable=False, server_default="OPEN"),
    sa.Column("ordered_on", sa.Date, nullable=False),
    sa.Column("shipped_on", sa.Date),
    sa.Column("cancel_reason", sa.Text),
    sa.Column("fingerprint", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    *_created(),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint("tenant_id", "order_ref"),
    _customer_fk(),
    sa.CheckConstraint("length(order_ref) BETWEEN 1 AND 100", name="ref_length"),
    sa.CheckConstraint(f"currency {CURRENCY}", name="currency_format"),
    # an order above the ceiling every job can carry is refused (migration 0028)
    sa.CheckConstraint(
        f"amount_minor > 0 AND amount_minor <= {MAX_DOCUMENT_MINOR}", name="amount_in_range"
    ),
    sa.CheckConstraint(
        "invoiced_minor >= 0 AND invoiced_minor <= amount_minor", name="invoiced_in_range"
    ),
    sa.CheckConstraint("status IN ('OPEN','SHIPPED','INVOICED','CANCELLED')", name="status_known"),
    sa.CheckConstraint(f"ordered_on {DATE_WINDOW}", name="ordered_plausible"),
    sa.CheckConstraint(f"shipped_on IS NULL OR shipped_on {DATE_WINDOW}", name="shipped_plausible"),
    sa.CheckConstraint(
        "cancel_reason IS NULL OR length(cancel_reason) <= 500", name="reason_length"
    ),
)
#: Exposure reads open orders only: the partial index holds exactly those, with the amounts.
sa.Index(
    "ix_sales_orders_open",
    sales_orders.c.tenant_id,
    sales_orders.c.customer_id,
    postgresql_include=["currency", "amount_minor", "invoiced_minor", "order_ref"],
    postgresql_where=sa.text("status IN ('OPEN','SHIPPED')"),
)

credit_reservations = sa.Table(
    "credit_reservations",
    metadata,
    _tenant(),
    _id(),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("order_ref", sa.Text, nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="ACTIVE"),
    sa.Column("decision_id", UUID(as_uuid=True), nullable=False),
    sa.Column("order_id", UUID(as_uuid=True)),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _customer_fk(),
    sa.ForeignKeyConstraint(
        ["tenant_id", "decision_id"], ["credit_decisions.tenant_id", "credit_decisions.id"]
    ),
    sa.CheckConstraint("length(order_ref) BETWEEN 1 AND 100", name="ref_length"),
    sa.CheckConstraint(f"currency {CURRENCY}", name="currency_format"),
    sa.CheckConstraint("amount_minor > 0", name="amount_positive"),
    # at most the checked amount, which the check refuses above the ceiling (migration 0027)
    within_ceiling("amount_minor"),
    sa.CheckConstraint(
        "expires_at > created_at AND expires_at <= created_at + interval '1 day'",
        name="ttl_in_range",
    ),
    sa.CheckConstraint(
        "status IN ('ACTIVE','CONFIRMED','RELEASED','EXPIRED')", name="status_known"
    ),
)
#: Live reservations are ACTIVE ones not yet expired; expiry is a filter on read, so headroom
#: frees itself when the time passes, with no job having to run first. Neither index is
#: partial on ACTIVE: statistics taken while none was live made every such index look one
#: row big, and a check read the tenant's every live reservation (migration 0026).
sa.Index(
    "ix_credit_reservations_active",
    credit_reservations.c.tenant_id,
    credit_reservations.c.customer_id,
    credit_reservations.c.status,
    postgresql_include=["currency", "amount_minor", "expires_at", "order_ref"],
)
#: One live reservation per order: the last key is true while ACTIVE, NULL (distinct) after.
sa.Index(
    "uq_credit_reservations_active_ref",
    credit_reservations.c.tenant_id,
    credit_reservations.c.order_ref,
    sa.case((credit_reservations.c.status == "ACTIVE", sa.true())),
    unique=True,
)

credit_decisions = sa.Table(
    "credit_decisions",
    metadata,
    _tenant(),
    _id(),
    _seq(),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("subject_id", UUID(as_uuid=True), nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True)),
    sa.Column("snapshot", JSONB, nullable=False),
    sa.Column("outcome", JSONB, nullable=False),
    sa.Column("versions", JSONB, nullable=False),
    sa.Column("decided_by", sa.Text, nullable=False),
    sa.Column("request_id", sa.Text),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.CheckConstraint(
        "kind IN ('CREDIT_CHECK','LIMIT','LIMIT_EXPIRY','CLASS','APPLICATION','REVIEW')",
        name="kind_known",
    ),
)
sa.Index(
    "ix_credit_decisions_customer",
    credit_decisions.c.tenant_id,
    credit_decisions.c.customer_id,
    credit_decisions.c.seq.desc(),
)
sa.Index(
    "ix_credit_decisions_subject",
    credit_decisions.c.tenant_id,
    credit_decisions.c.subject_id,
    credit_decisions.c.seq.desc(),
)
#: The expiry sweep records each limit's expiry once, whatever its re-runs.
sa.Index(
    "uq_credit_decisions_expiry",
    credit_decisions.c.tenant_id,
    credit_decisions.c.subject_id,
    unique=True,
    postgresql_where=sa.text("kind = 'LIMIT_EXPIRY'"),
)

# Exposure reads a customer's open invoices through ix_invoices_open (dbschema/ledger_tables):
# never the customer's whole ledger.
#: An order registered after its invoices finds them by reference.
sa.Index(
    "ix_invoices_order_ref",
    invoices.c.tenant_id,
    invoices.c.order_ref,
    postgresql_where=sa.text("order_ref IS NOT NULL"),
)
#: A group is walked through partner links in both directions.
sa.Index(
    "ix_customer_relations_related",
    customer_relations.c.tenant_id,
    customer_relations.c.related_customer_id,
)

CREDIT_LIMIT_TABLES = (
    exchange_rates,
    credit_policies,
    credit_limit_requests,
    credit_limit_approvals,
    credit_limits,
    credit_holds,
    sales_orders,
    credit_reservations,
    credit_decisions,
)
#: The app role may only insert into these: their rows are history.
APPEND_ONLY = (
    "exchange_rates",
    "credit_policies",
    "credit_limit_approvals",
    "credit_limits",
    "credit_holds",
    "credit_decisions",
)
