"""The input rules in the database: dates in 1900-2199, amounts within the ceiling per
document, texts within their limits, sums in NUMERIC; and the repair of rows stored before.

Every business date column gets a CHECK for 1900-01-01..2199-12-31 (a timestamp: its UTC
date). Rows an older version stored outside it (0001-01-01, 9999-12-31, +-infinity, which
no job's date arithmetic survives) are repaired first, auditably: each changed value is
recorded with its old value in `data_repairs`, then clamped to the nearest end of the range
(both dates of an invoice in one update, so due-after-issue still holds); rows a job derives
from a date (aging snapshots, provision runs and their lines, statements and their PDFs) are
recorded whole and removed, for the job recomputes them; jobs still waiting with such a date
are marked FAILED. Then the constraints are validated.

Write-offs approved before four eyes held (one person giving both approvals, or the proposer
one): an approved, unposted proposal loses the approval that broke the rule (recorded whole)
and is PROPOSED again, waiting for another person; a posted one is recorded as KEPT.

Amount and length CHECKs cannot be met by changing money or evidence, so a row stored above
a limit before is kept as it is, recorded in `data_repairs` (KEPT) and named in its table's
constraint as an exception; every other row, and every new one, must keep the limit. Sums
over many documents (provision lines, aging snapshots, statement balances) become
NUMERIC(38, 0), so no total overflows a BIGINT.

Values are literal here, as a migration must not follow later code. A downgrade drops the
constraints and the repair table and turns the sums back into BIGINT; repaired values stay.

Revision ID: 0017
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0017"
down_revision = "0014"
branch_labels = None
depends_on = None

REVISION = "0017"
EARLIEST = "1900-01-01"
LATEST = "2199-12-31"
DATE_RANGE = f"BETWEEN DATE '{EARLIEST}' AND DATE '{LATEST}'"
LOWEST_MOMENT = f"TIMESTAMPTZ '{EARLIEST} 00:00:00+00'"
BEYOND_MOMENT = "TIMESTAMPTZ '2200-01-01 00:00:00+00'"
LATEST_MOMENT = f"TIMESTAMPTZ '{LATEST} 23:59:59+00'"
CEILING = 10**15  #: minor units one document may carry

#: Tables whose date columns are clamped, with their key columns (as data_repairs records
#: them) and their business dates.
DATES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "customers": (("id",), ("founded_on", "last_reviewed_on")),
    "credit_file_entries": (("id",), ("occurred_on",)),
    "invoices": (("id",), ("issue_date", "due_date")),
    "invoice_instalments": (("invoice_id", "seq"), ("due_date",)),
    "payments": (("id",), ("received_on",)),
    "credit_notes": (("id",), ("issue_date",)),
    "allocations": (("id",), ("effective_on",)),
    "collection_cases": (("id",), ("next_action_on",)),
    "collection_tasks": (("id",), ("due_on",)),
    "promises": (("id",), ("promised_on",)),
    "reminders": (("invoice_id", "kind"), ("sent_on",)),
}
#: Timestamps a client supplies.
MOMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "activities": (("id",), ("occurred_at",)),
}
#: Rows a job computes for one date: out of range, they are recorded whole and removed.
DERIVED: dict[str, tuple[tuple[str, ...], str]] = {
    "aging_snapshots": (("as_of", "customer_id", "currency"), "as_of"),
    "provision_runs": (("id",), "period_end"),
    "statements": (("id",), "period"),
}
#: Amounts of one document: (table, column, the key that names an exception, its type, signed).
CEILINGS = (
    ("customers", "registered_capital_minor", "id", "uuid", False),
    ("customers", "annual_sales_minor", "id", "uuid", False),
    ("invoices", "amount_minor", "id", "uuid", False),
    ("invoice_instalments", "amount_minor", "invoice_id", "uuid", False),
    ("payments", "amount_minor", "id", "uuid", False),
    ("credit_notes", "amount_minor", "id", "uuid", False),
    ("allocations", "amount_minor", "id", "uuid", True),
    ("disputes", "amount_minor", "id", "uuid", False),
    ("write_off_lines", "amount_minor", "proposal_id", "uuid", False),
    ("promises", "amount_minor", "id", "uuid", False),
)
#: Texts: (table, column, characters, key, key type).
LENGTHS = (
    ("customers", "code", 64, "id", "uuid"),
    ("customers", "legal_name", 500, "id", "uuid"),
    ("customers", "registration_number", 64, "id", "uuid"),
    ("customers", "industry", 100, "id", "uuid"),
    ("customers", "business_model", 5000, "id", "uuid"),
    ("customers", "company_history", 20000, "id", "uuid"),
    ("customers", "salesperson", 200, "id", "uuid"),
    ("customers", "payment_terms_code", 64, "id", "uuid"),
    ("customer_relations", "note", 2000, "id", "uuid"),
    ("credit_file_entries", "kind", 64, "id", "uuid"),
    ("credit_file_entries", "title", 200, "id", "uuid"),
    ("credit_file_entries", "body", 20000, "id", "uuid"),
    ("credit_file_entries", "document_ref", 200, "id", "uuid"),
    ("warnings", "acknowledge_note", 2000, "id", "uuid"),
    ("payment_terms", "code", 64, "id", "uuid"),
    ("payment_terms", "name", 200, "id", "uuid"),
    ("invoices", "number", 200, "id", "uuid"),
    ("invoices", "external_id", 200, "id", "uuid"),
    ("invoices", "order_ref", 200, "id", "uuid"),
    ("invoices", "salesperson", 200, "id", "uuid"),
    ("payments", "external_id", 200, "id", "uuid"),
    ("payments", "reference", 200, "id", "uuid"),
    ("payments", "reversal_reason", 2000, "id", "uuid"),
    ("credit_notes", "number", 200, "id", "uuid"),
    ("credit_notes", "external_id", 200, "id", "uuid"),
    ("credit_notes", "reason", 2000, "id", "uuid"),
    ("disputes", "reason", 2000, "id", "uuid"),
    ("disputes", "resolution", 2000, "id", "uuid"),
    ("idempotency_keys", "key", 256, "key", "text"),
    ("write_off_proposals", "reason", 2000, "id", "uuid"),
    ("write_off_proposals", "idempotency_key", 200, "id", "uuid"),
    ("write_off_approvals", "note", 2000, "proposal_id", "uuid"),
    ("bad_debt_cases", "cause", 2000, "id", "uuid"),
    ("bad_debt_cases", "lessons", 2000, "id", "uuid"),
    ("statements", "status_note", 2000, "id", "uuid"),
    ("activities", "outcome", 100, "id", "uuid"),
    ("activities", "notes", 4000, "id", "uuid"),
    ("activities", "document_ref", 200, "id", "uuid"),
)
#: JSON documents: (table, column, characters, array items or None, key, key type).
JSON_SIZES = (
    ("customers", "contacts", 50_000, 50, "id", "uuid"),
    ("payment_terms", "instalments", 10_000, 60, "id", "uuid"),
    ("write_off_proposals", "evidence", 12_000, 20, "id", "uuid"),
    ("payment_plans", "schedule", 20_000, 120, "id", "uuid"),
    ("tenant_profiles", "bank_accounts", 10_000, None, "tenant_id", "uuid"),
)
#: Sums of many documents' minor units: NUMERIC, never a BIGINT that could overflow.
SUMS = (
    ("provision_customer_lines", "open_minor"),
    ("provision_customer_lines", "provision_minor"),
    ("provision_customer_lines", "previous_minor"),
    ("provision_customer_lines", "charge_minor"),
    ("provision_customer_lines", "release_minor"),
    ("provision_customer_lines", "utilised_minor"),
    ("aging_snapshots", "open_minor"),
    ("aging_snapshots", "overdue_minor"),
    ("statements", "opening_minor"),
    ("statements", "closing_minor"),
)
#: Tables the repair reads and writes as the owner, every tenant's rows at once.
REPAIRED = sorted(
    {*DATES, *MOMENTS, *DERIVED, "jobs", "write_off_approvals", "write_off_proposals"}
    | {t for t, *_ in CEILINGS}
    | {t for t, *_ in LENGTHS}
    | {t for t, *_ in JSON_SIZES}
)


def _key(columns: tuple[str, ...]) -> str:
    return "jsonb_build_object(" + ", ".join(f"'{c}', {c}" for c in columns) + ")"


def _clamp_dates(table: str, keys: tuple[str, ...], columns: tuple[str, ...]) -> None:
    """Record each out-of-range date with its old value, then clamp every one of a row's
    dates in one update (so a CHECK between two of them keeps holding)."""
    for column in columns:
        op.execute(f"""
            INSERT INTO data_repairs (tenant_id, revision, table_name, row_key, column_name,
                                      action, old_value, new_value)
            SELECT tenant_id, '{REVISION}', '{table}', {_key(keys)}, '{column}', 'CLAMPED',
                   {column}::text,
                   CASE WHEN {column} < DATE '{EARLIEST}' THEN '{EARLIEST}' ELSE '{LATEST}' END
              FROM {table} WHERE NOT ({column} {DATE_RANGE})""")
    clamped = ", ".join(
        f"{c} = CASE WHEN {c} < DATE '{EARLIEST}' THEN DATE '{EARLIEST}' "
        f"WHEN {c} > DATE '{LATEST}' THEN DATE '{LATEST}' ELSE {c} END"
        for c in columns
    )
    outside = " OR ".join(f"NOT ({c} {DATE_RANGE})" for c in columns)
    op.execute(f"UPDATE {table} SET {clamped} WHERE {outside}")


def _clamp_moments(table: str, keys: tuple[str, ...], columns: tuple[str, ...]) -> None:
    """The same for timestamps, by their UTC date."""
    for column in columns:
        outside = f"({column} < {LOWEST_MOMENT} OR {column} >= {BEYOND_MOMENT})"
        op.execute(f"""
            INSERT INTO data_repairs (tenant_id, revision, table_name, row_key, column_name,
                                      action, old_value, new_value)
            SELECT tenant_id, '{REVISION}', '{table}', {_key(keys)}, '{column}', 'CLAMPED',
                   {column}::text,
                   CASE WHEN {column} < {LOWEST_MOMENT} THEN {LOWEST_MOMENT}::text
                        ELSE {LATEST_MOMENT}::text END
              FROM {table} WHERE {outside}""")
        op.execute(f"""
            UPDATE {table} SET {column} = CASE WHEN {column} < {LOWEST_MOMENT}
                THEN {LOWEST_MOMENT} ELSE {LATEST_MOMENT} END
             WHERE {outside}""")


def _remove_derived(table: str, keys: tuple[str, ...], column: str) -> None:
    """Rows a job derives for an impossible date: recorded whole, then removed (cascading to
    their lines and documents); the job computes what the range allows."""
    op.execute(f"""
        INSERT INTO data_repairs (tenant_id, revision, table_name, row_key, column_name,
                                  action, old_value)
        SELECT tenant_id, '{REVISION}', '{table}', {_key(keys)}, '{column}', 'DELETED',
               to_jsonb(t)::text
          FROM {table} t WHERE NOT ({column} {DATE_RANGE})""")
    op.execute(f"DELETE FROM {table} WHERE NOT ({column} {DATE_RANGE})")


def _fail_waiting_jobs() -> None:
    """Jobs not yet done whose arguments carry a date out of range would only fail: recorded
    and marked FAILED with the reason."""
    waiting = "status IN ('PENDING', 'DISPATCHED', 'RUNNING')"
    bad_date = (
        "EXISTS (SELECT FROM jsonb_each_text(args) a WHERE a.value ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'"
        f" AND (a.value < '{EARLIEST}' OR a.value > '{LATEST}'))"
    )
    op.execute(f"""
        INSERT INTO data_repairs (tenant_id, revision, table_name, row_key, column_name,
                                  action, old_value, new_value)
        SELECT tenant_id, '{REVISION}', 'jobs', {_key(("id",))}, 'status', 'FAILED_JOB',
               status, 'FAILED'
          FROM jobs WHERE {waiting} AND {bad_date}""")
    op.execute(f"""
        UPDATE jobs SET status = 'FAILED', finished_at = now(),
               error = 'refused by migration {REVISION}: a date argument outside '
                       || '{EARLIEST}..{LATEST}'
         WHERE {waiting} AND {bad_date}""")


def _reopen_single_person_approvals() -> None:
    """Approvals that broke four eyes: a proposer's, or a person's second on one proposal."""
    broken = """
        SELECT a.tenant_id, a.proposal_id, a.role, p.status FROM write_off_approvals a
          JOIN write_off_proposals p ON p.tenant_id = a.tenant_id AND p.id = a.proposal_id
         WHERE a.decision = 'APPROVED' AND (a.approver = p.created_by OR EXISTS (
               SELECT FROM write_off_approvals b
                WHERE b.tenant_id = a.tenant_id AND b.proposal_id = a.proposal_id
                  AND b.approver = a.approver AND (b.at, b.role) < (a.at, a.role)))"""
    key = "jsonb_build_object('proposal_id', a.proposal_id, 'role', a.role)"
    op.execute(f"""
        INSERT INTO data_repairs (tenant_id, revision, table_name, row_key, action, old_value,
                                  note)
        SELECT a.tenant_id, '{REVISION}', 'write_off_approvals', {key},
               CASE WHEN x.status = 'APPROVED' THEN 'DELETED' ELSE 'KEPT' END,
               to_jsonb(a)::text, 'one person approved twice, or the proposer approved'
          FROM write_off_approvals a JOIN ({broken}) x
            ON x.tenant_id = a.tenant_id AND x.proposal_id = a.proposal_id AND x.role = a.role""")
    op.execute(f"""
        INSERT INTO data_repairs (tenant_id, revision, table_name, row_key, column_name,
                                  action, old_value, new_value)
        SELECT DISTINCT tenant_id, '{REVISION}', 'write_off_proposals',
               jsonb_build_object('id', proposal_id), 'status', 'REOPENED', 'APPROVED',
               'PROPOSED'
          FROM ({broken}) x WHERE x.status = 'APPROVED'""")
    op.execute(f"""
        WITH x AS ({broken})
        UPDATE write_off_proposals p SET status = 'PROPOSED'
          FROM x WHERE x.tenant_id = p.tenant_id AND x.proposal_id = p.id
           AND x.status = 'APPROVED'""")
    op.execute("""
        DELETE FROM write_off_approvals a USING write_off_proposals p, data_repairs r
         WHERE p.tenant_id = a.tenant_id AND p.id = a.proposal_id AND p.status = 'PROPOSED'
           AND r.tenant_id = a.tenant_id AND r.table_name = 'write_off_approvals'
           AND r.action = 'DELETED' AND r.row_key = jsonb_build_object(
               'proposal_id', a.proposal_id, 'role', a.role)""")


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _dated() -> list[tuple[str, str]]:
    """(table, column) of every date and timestamp this revision checks."""
    return [
        (table, column)
        for spec in (DATES, MOMENTS)
        for table, (_, columns) in spec.items()
        for column in columns
    ] + [(table, column) for table, (_, column) in DERIVED.items()]


def _limited(
    name: str, table: str, column: str, rule: str, key: tuple[str, str], note: str
) -> None:
    """A CHECK that every row keeps, except rows an older version stored beyond it: those
    are recorded (KEPT, with the figure) and named in the constraint, so no value is lost."""
    key_column, key_type = key
    conn = op.get_bind()
    found = [
        str(v)
        for (v,) in conn.execute(
            sa.text(f"SELECT DISTINCT {key_column}::text FROM {table} WHERE NOT ({rule})")
        )
    ]
    expression = rule
    if found:
        op.execute(f"""
            INSERT INTO data_repairs (tenant_id, revision, table_name, row_key, column_name,
                                      action, note)
            SELECT tenant_id, '{REVISION}', '{table}', {_key((key_column,))}, '{column}', 'KEPT',
                   {note}
              FROM {table} WHERE NOT ({rule})""")
        values = ", ".join(_quote(v) for v in sorted(found))
        expression = f"({rule}) OR {key_column} = ANY (ARRAY[{values}]::{key_type}[])"
    op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({expression})")


def _create_repairs_table() -> None:
    op.create_table(
        "data_repairs",
        sa.Column("tenant_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("revision", sa.Text(), nullable=False),
        sa.Column("table_name", sa.Text(), nullable=False),
        sa.Column("row_key", postgresql.JSONB(), nullable=False),
        sa.Column("column_name", sa.Text()),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("old_value", sa.Text()),
        sa.Column("new_value", sa.Text()),
        sa.Column("note", sa.Text()),
        sa.Column(
            "repaired_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "action IN ('CLAMPED','DELETED','KEPT','FAILED_JOB','REOPENED')",
            name=op.f("ck_data_repairs_action_known"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            ondelete="CASCADE",
            name=op.f("fk_data_repairs_tenant_id_tenants"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_data_repairs")),
    )
    role = op.get_context().opts["app_role"]
    op.execute("ALTER TABLE data_repairs ENABLE ROW LEVEL SECURITY")  # FORCE once written
    op.execute(
        "CREATE POLICY tenant_isolation ON data_repairs USING "
        "(tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()))"
    )
    op.execute(f"GRANT SELECT ON data_repairs TO {role}")


def upgrade() -> None:
    _create_repairs_table()
    # the owner repairs every tenant's rows: without FORCE, row-level security does not hide
    # them from it (a non-superuser owner would otherwise see none)
    for table in REPAIRED:
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    dated = _dated()
    for table, column in dated:  # new rows are checked from here on
        rule = (
            f"{column} >= {LOWEST_MOMENT} AND {column} < {BEYOND_MOMENT}"
            if table in MOMENTS
            else f"{column} {DATE_RANGE}"
        )
        op.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT ck_{table}_{column}_in_range "
            f"CHECK ({rule}) NOT VALID"
        )
    for table, (keys, columns) in DATES.items():
        _clamp_dates(table, keys, columns)
    for table, (keys, columns) in MOMENTS.items():
        _clamp_moments(table, keys, columns)
    for table, (keys, column) in DERIVED.items():
        _remove_derived(table, keys, column)
    _fail_waiting_jobs()
    _reopen_single_person_approvals()
    for table, column in dated:
        op.execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT ck_{table}_{column}_in_range")
    for table, column in SUMS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE numeric(38, 0)")
    for table, column, key, key_type, signed in CEILINGS:
        amount = f"abs({column})" if signed else column
        _limited(
            f"ck_{table}_{column}_ceiling",
            table,
            column,
            f"{amount} <= {CEILING}",
            (key, key_type),
            f"{column}::text || ' minor units, above {CEILING}: kept'",
        )
    for table, column, chars, key, key_type in LENGTHS:
        _limited(
            f"ck_{table}_{column}_length",
            table,
            column,
            f"char_length({column}) <= {chars}",
            (key, key_type),
            f"char_length({column}) || ' characters, above {chars}: kept'",
        )
    for table, column, chars, items, key, key_type in JSON_SIZES:
        rule = f"char_length({column}::text) <= {chars}"
        if items is not None:
            rule += f" AND jsonb_array_length({column}) <= {items}"
        _limited(
            f"ck_{table}_{column}_size",
            table,
            column,
            rule,
            (key, key_type),
            f"char_length({column}::text) || ' characters of JSON, above {chars}: kept'",
        )
    for table in (*REPAIRED, "data_repairs"):
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")


def downgrade() -> None:
    added = (
        [(t, f"ck_{t}_{c}_in_range") for t, c in _dated()]
        + [(t, f"ck_{t}_{c}_ceiling") for t, c, *_ in CEILINGS]
        + [(t, f"ck_{t}_{c}_length") for t, c, *_ in LENGTHS]
        + [(t, f"ck_{t}_{c}_size") for t, c, *_ in JSON_SIZES]
    )
    for table, name in added:
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for table, column in SUMS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE bigint USING {column}::bigint")
    op.drop_table("data_repairs")
