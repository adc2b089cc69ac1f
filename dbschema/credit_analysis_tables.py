"""Credit analysis and scoring tables: statements, external records, scorecards, scores, classes.

Every CHECK mirrors a domain rule (dates 1900-2199, enums, lengths, signs), so a row the
domain would refuse cannot be written by any other path either.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from dbschema.credit_limit_tables import CURRENCY
from dbschema.ledger_tables import _created, _customer_fk, _id, _tenant
from dbschema.tables import NOW, metadata

DATE_RANGE = "BETWEEN DATE '1900-01-01' AND DATE '2199-12-31'"


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


#: The statement lines (the domain's `Line`), each a BIGINT column of minor units.
LINES = (
    "CASH",
    "RECEIVABLES",
    "INVENTORY",
    "CURRENT_ASSETS",
    "TOTAL_ASSETS",
    "CURRENT_LIABILITIES",
    "TOTAL_LIABILITIES",
    "EQUITY",
    "RETAINED_EARNINGS",
    "REVENUE",
    "COST_OF_SALES",
    "EBIT",
    "PROFIT_BEFORE_TAX",
    "INTEREST_EXPENSE",
    "NET_PROFIT",
    "OPERATING_CASH_FLOW",
)
#: Lines that may be negative (the domain's SIGNED_LINES): losses, deficits, outflows.
SIGNED = (
    "EQUITY",
    "RETAINED_EARNINGS",
    "EBIT",
    "PROFIT_BEFORE_TAX",
    "NET_PROFIT",
    "OPERATING_CASH_FLOW",
)
LINE_COLUMNS = {line: f"{line.lower()}_minor" for line in LINES}

financial_statements = sa.Table(
    "financial_statements",
    metadata,
    _tenant(),
    _id(),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False),
    sa.Column("unit", sa.Text, nullable=False),
    *(sa.Column(column, sa.BigInteger) for column in LINE_COLUMNS.values()),
    sa.Column("negative_equity", sa.Boolean, nullable=False),
    sa.Column("z_score", sa.Numeric(12, 4)),
    sa.Column("z_zone", sa.Text),
    sa.Column("z_inputs", JSONB, nullable=False),
    sa.Column("fingerprint", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    *_created(),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _customer_fk(),
    sa.UniqueConstraint("tenant_id", "customer_id", "kind", "period_start", "period_end", "source"),
    sa.CheckConstraint(_in("kind", ("ANNUAL", "INTERIM")), name="kind_known"),
    sa.CheckConstraint(_in("source", ("AUDITED", "TAX_FILING", "MANAGEMENT")), name="source_known"),
    sa.CheckConstraint(_in("unit", ("YUAN", "THOUSAND", "TEN_THOUSAND")), name="unit_known"),
    sa.CheckConstraint(f"currency {CURRENCY}", name="currency_format"),
    sa.CheckConstraint(
        f"period_start {DATE_RANGE} AND period_end {DATE_RANGE} AND period_end >= period_start "
        "AND period_end - period_start <= 365",
        name="period_sane",
    ),
    sa.CheckConstraint(
        " AND ".join(
            f"({column} IS NULL OR {column} >= 0)"
            for line, column in LINE_COLUMNS.items()
            if line not in SIGNED
        ),
        name="unsigned_lines_not_negative",
    ),
    sa.CheckConstraint(
        "total_assets_minor IS NOT NULL AND total_liabilities_minor IS NOT NULL "
        "AND equity_minor IS NOT NULL",
        name="balance_sheet_given",
    ),
    sa.CheckConstraint(
        "z_zone IS NULL OR z_zone IN ('SAFE', 'GREY', 'DISTRESS')", name="z_zone_known"
    ),
    sa.CheckConstraint("(z_score IS NULL) = (z_zone IS NULL)", name="z_zone_with_score"),
)
sa.Index(
    "ix_financial_statements_customer",
    financial_statements.c.tenant_id,
    financial_statements.c.customer_id,
    financial_statements.c.period_end,
)

RECORD_KINDS = ("BUREAU_REPORT", "LEGAL_RECORD", "NEGATIVE_NEWS", "SITE_VISIT", "BANK_REFERENCE")

credit_external_records = sa.Table(
    "credit_external_records",
    metadata,
    _tenant(),
    _id(),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("source_ref", sa.Text, nullable=False),
    sa.Column("recorded_on", sa.Date, nullable=False),
    sa.Column("summary", sa.Text),
    sa.Column("evidence", sa.Text, nullable=False),
    sa.Column("score", sa.Text),
    sa.Column("assessment", sa.Text),
    sa.Column("severity", sa.Text),
    sa.Column("party", sa.Text),
    sa.Column("legal_kind", sa.Text),
    sa.Column("role", sa.Text),
    sa.Column("case_number", sa.Text),
    sa.Column("court", sa.Text),
    sa.Column("amount_minor", sa.BigInteger),
    sa.Column("currency", sa.CHAR(3)),
    sa.Column("status", sa.Text),
    sa.Column("filed_on", sa.Date),
    sa.Column("closed_on", sa.Date),
    sa.Column("fingerprint", sa.Text, nullable=False),
    *_created(),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _customer_fk(),
    sa.UniqueConstraint("tenant_id", "source", "source_ref"),
    sa.CheckConstraint(_in("kind", RECORD_KINDS), name="kind_known"),
    sa.CheckConstraint(
        "length(source) BETWEEN 1 AND 100 AND length(source_ref) BETWEEN 1 AND 200 "
        "AND length(evidence) BETWEEN 1 AND 1000 AND coalesce(length(summary), 0) <= 4000 "
        "AND coalesce(length(score), 0) <= 40 AND coalesce(length(party), 0) <= 200 "
        "AND coalesce(length(case_number), 0) <= 200 AND coalesce(length(court), 0) <= 200",
        name="lengths",
    ),
    sa.CheckConstraint(
        f"recorded_on {DATE_RANGE} AND (filed_on IS NULL OR filed_on {DATE_RANGE}) "
        f"AND (closed_on IS NULL OR closed_on {DATE_RANGE}) "
        "AND (closed_on IS NULL OR filed_on IS NULL OR closed_on >= filed_on)",
        name="dates_sane",
    ),
    sa.CheckConstraint(
        "(kind = 'LEGAL_RECORD') = (legal_kind IS NOT NULL) "
        "AND (kind = 'LEGAL_RECORD') = (role IS NOT NULL) "
        "AND (kind = 'LEGAL_RECORD') = (status IS NOT NULL) "
        "AND (kind <> 'LEGAL_RECORD' OR (case_number IS NOT NULL AND court IS NOT NULL "
        "AND filed_on IS NOT NULL))",
        name="legal_fields",
    ),
    sa.CheckConstraint(
        "legal_kind IS NULL OR legal_kind IN "
        "('LAWSUIT', 'ARBITRATION', 'ENFORCEMENT', 'DISHONEST_DEBTOR')",
        name="legal_kind_known",
    ),
    sa.CheckConstraint("role IS NULL OR role IN ('DEFENDANT', 'PLAINTIFF')", name="role_known"),
    sa.CheckConstraint(
        "status IS NULL OR (status IN ('OPEN', 'CLOSED') "
        "AND (status = 'OPEN' OR closed_on IS NOT NULL))",
        name="status_known",
    ),
    sa.CheckConstraint(
        "assessment IS NULL OR assessment IN ('POSITIVE', 'NEUTRAL', 'NEGATIVE')",
        name="assessment_known",
    ),
    sa.CheckConstraint(
        "severity IS NULL OR severity IN ('LOW', 'MEDIUM', 'HIGH')", name="severity_known"
    ),
    sa.CheckConstraint(
        "(amount_minor IS NULL) = (currency IS NULL) AND coalesce(amount_minor, 0) >= 0",
        name="amount_sane",
    ),
    sa.CheckConstraint(f"currency IS NULL OR currency {CURRENCY}", name="currency_format"),
)
sa.Index(
    "ix_credit_external_records_customer",
    credit_external_records.c.tenant_id,
    credit_external_records.c.customer_id,
    credit_external_records.c.recorded_on,
)

scorecard_versions = sa.Table(
    "scorecard_versions",
    metadata,
    _tenant(),
    _id(),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("status", sa.Text, nullable=False, server_default="DRAFT"),
    sa.Column("definition", JSONB, nullable=False),
    sa.Column("note", sa.Text),
    *_created(),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.Column("activated_at", sa.DateTime(timezone=True)),
    sa.Column("activated_by", sa.Text),
    sa.Column("retired_at", sa.DateTime(timezone=True)),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    sa.UniqueConstraint("tenant_id", "number"),
    sa.CheckConstraint("status IN ('DRAFT', 'ACTIVE', 'RETIRED')", name="status_known"),
    sa.CheckConstraint("number > 0", name="number_positive"),
    sa.CheckConstraint("coalesce(length(note), 0) <= 2000", name="note_length"),
    sa.CheckConstraint(
        "(status = 'DRAFT') = (activated_at IS NULL)", name="activated_unless_draft"
    ),
)
sa.Index(
    "uq_scorecard_versions_one_active",
    scorecard_versions.c.tenant_id,
    unique=True,
    postgresql_where=sa.text("status = 'ACTIVE'"),
)

CLASSES = "('A', 'B', 'C', 'D')"

credit_scores = sa.Table(
    "credit_scores",
    metadata,
    _tenant(),
    _id(),
    sa.Column("seq", sa.BigInteger, sa.Identity(), nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("version_id", UUID(as_uuid=True), nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("score", sa.Numeric(5, 2), nullable=False),
    sa.Column("score_class", sa.CHAR(1), nullable=False),
    sa.Column("rating_class", sa.CHAR(1), nullable=False),
    sa.Column("inputs", JSONB, nullable=False),
    sa.Column("factors", JSONB, nullable=False),
    sa.Column("reason_codes", ARRAY(sa.Text), nullable=False),
    sa.Column("knock_outs", ARRAY(sa.Text), nullable=False),
    sa.Column("missing_inputs", ARRAY(sa.Text), nullable=False),
    sa.Column("inputs_hash", sa.Text, nullable=False),
    sa.Column("trigger", sa.Text, nullable=False),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _customer_fk(),
    sa.ForeignKeyConstraint(
        ["tenant_id", "version_id"], ["scorecard_versions.tenant_id", "scorecard_versions.id"]
    ),
    sa.CheckConstraint("score BETWEEN 0 AND 100", name="score_in_range"),
    sa.CheckConstraint(
        f"score_class IN {CLASSES} AND rating_class IN {CLASSES}", name="classes_known"
    ),
    sa.CheckConstraint(f"as_of {DATE_RANGE}", name="as_of_sane"),
    sa.CheckConstraint(
        "trigger IN ('MANUAL', 'RESCORE', 'RECLASSIFY', 'REVIEW')", name="trigger_known"
    ),
)
sa.Index(
    "ix_credit_scores_customer",
    credit_scores.c.tenant_id,
    credit_scores.c.customer_id,
    credit_scores.c.seq,
)
sa.Index("ix_credit_scores_as_of", credit_scores.c.tenant_id, credit_scores.c.as_of)

credit_class_history = sa.Table(
    "credit_class_history",
    metadata,
    _tenant(),
    _id(),
    sa.Column("seq", sa.BigInteger, sa.Identity(), nullable=False),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("from_class", sa.CHAR(1)),
    sa.Column("to_class", sa.CHAR(1), nullable=False),
    sa.Column("direction", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("score_id", UUID(as_uuid=True)),
    sa.Column("override_id", UUID(as_uuid=True)),
    sa.Column("proposed_terms", JSONB, nullable=False),
    *_created(),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _customer_fk(),
    sa.CheckConstraint(
        f"(from_class IS NULL OR from_class IN {CLASSES}) AND to_class IN {CLASSES}",
        name="classes_known",
    ),
    sa.CheckConstraint("direction IN ('INITIAL', 'UPGRADE', 'DOWNGRADE')", name="direction_known"),
    sa.CheckConstraint("source IN ('SCORE', 'OVERRIDE', 'MANUAL', 'REVIEW')", name="source_known"),
    sa.CheckConstraint("length(reason) BETWEEN 1 AND 2000", name="reason_length"),
)
sa.Index(
    "ix_credit_class_history_customer",
    credit_class_history.c.tenant_id,
    credit_class_history.c.customer_id,
    credit_class_history.c.seq,
)

class_overrides = sa.Table(
    "class_overrides",
    metadata,
    _tenant(),
    _id(),
    sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
    sa.Column("from_class", sa.CHAR(1)),
    sa.Column("to_class", sa.CHAR(1), nullable=False),
    sa.Column("direction", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("valid_until", sa.Date),
    sa.Column("requested_by", sa.Text, nullable=False),
    sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.Column("decided_by", sa.Text),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("decision_note", sa.Text),
    sa.PrimaryKeyConstraint("tenant_id", "id"),
    _customer_fk(),
    sa.CheckConstraint(
        f"(from_class IS NULL OR from_class IN {CLASSES}) AND to_class IN {CLASSES}",
        name="classes_known",
    ),
    sa.CheckConstraint("direction IN ('INITIAL', 'UPGRADE', 'DOWNGRADE')", name="direction_known"),
    sa.CheckConstraint("status IN ('PENDING', 'APPLIED', 'REJECTED')", name="status_known"),
    sa.CheckConstraint(
        "length(reason) BETWEEN 1 AND 2000 AND coalesce(length(decision_note), 0) <= 2000",
        name="text_lengths",
    ),
    sa.CheckConstraint(f"valid_until IS NULL OR valid_until {DATE_RANGE}", name="valid_until_sane"),
    sa.CheckConstraint(
        "(status = 'PENDING') = (decided_at IS NULL)", name="decided_unless_pending"
    ),
)
sa.Index(
    "uq_class_overrides_one_pending",
    class_overrides.c.tenant_id,
    class_overrides.c.customer_id,
    unique=True,
    postgresql_where=sa.text("status = 'PENDING'"),
)
sa.Index(
    "ix_class_overrides_customer",
    class_overrides.c.tenant_id,
    class_overrides.c.customer_id,
    class_overrides.c.requested_at,
)

CREDIT_ANALYSIS_TABLES = (
    financial_statements,
    credit_external_records,
    scorecard_versions,
    credit_scores,
    credit_class_history,
    class_overrides,
)
#: History the app adds to but never edits: a new score or class change is a new row.
APPEND_ONLY_CREDIT = ("credit_scores", "credit_class_history")
