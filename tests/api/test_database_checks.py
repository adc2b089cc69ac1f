"""The database mirrors the input rules: every date column has its range, every text column
that input fills has its length, every document amount its ceiling, every sum is NUMERIC;
and the migrated database holds exactly the constraints the tables declare."""

from __future__ import annotations

import importlib
import re

import sqlalchemy as sa

import dbschema.credit_analysis_tables
import dbschema.credit_limit_tables
import dbschema.delivery_tables
import dbschema.integration_tables
import dbschema.ledger_tables
import dbschema.tenant_tables  # noqa: F401  every table on the metadata
from dbschema.checks import MinorSum
from dbschema.tables import metadata
from domain import dates, money

#: Text columns the platform fills itself (subjects from tokens, fingerprints, statuses and
#: kinds with their own CHECK of known values, job and event plumbing): no input reaches them.
SYSTEM_TEXT = {
    ("tenants", "name"),
    *((t, c) for t in ("audit_log",) for c in ("entity_type", "action", "actor", "request_id")),
    *(
        (t, c)
        for t in ("data_repairs",)
        for c in ("revision", "table_name", "column_name", "old_value", "new_value", "note")
    ),
    ("events", "topic"),
    ("idempotency_keys", "operation"),
    ("idempotency_keys", "fingerprint"),
    *((t, c) for t in ("jobs",) for c in ("actor", "dedupe_key", "requested_by", "error")),
    ("provision_runs", "closed_by"),
    ("tenant_profiles", "updated_by"),
    *(
        (t, c)
        for t in ("webhook_endpoints",)
        for c in ("secret", "previous_secret", "disabled_reason")
    ),
    ("collection_cases", "stage"),
    ("collection_cases", "owner_role"),
    ("collection_cases", "next_action"),
    ("collection_tasks", "role"),
    ("collection_tasks", "title"),
    ("statements", "status_by"),
    ("warnings", "kind"),
    ("warnings", "acknowledged_by"),
    ("webhook_deliveries", "topic"),
    ("webhook_deliveries", "ordering_key"),
    ("disputes", "resolved_by"),
    ("reminders", "kind"),
    ("write_off_approvals", "role"),
    ("write_off_approvals", "approver"),
    ("credit_decisions", "request_id"),
    ("credit_limit_approvals", "approver"),
    ("credit_scores", "inputs_hash"),
    ("document_numbers", "series"),
    ("guarantee_notices", "detail"),
    ("warnings", "owner_role"),
    ("warning_responses", "role"),
    *(("sent_documents", c) for c in ("number", "media_type", "filename")),
    *(
        ("document_deliveries", c)
        for c in ("subject", "body", "last_error", "message_id", "server_reply")
    ),
}
#: Subjects from tokens (every `*_by`), digests: the platform writes them.
SYSTEM_SUFFIXES = ("_by", "fingerprint", "sha256")


def _checks(table: sa.Table) -> dict[str, str]:
    """A table's CHECK constraints by their own name (the part after `ck_<table>_`)."""
    prefix = f"ck_{table.name}_"
    return {
        str(c.name).removeprefix(prefix): str(c.sqltext)
        for c in table.constraints
        if isinstance(c, sa.CheckConstraint) and c.name
    }


def _has_range(table: sa.Table, column: str) -> bool:
    """A CHECK of the table names the column and both ends of the range (whatever its name:
    the credit tables call theirs `_sane`)."""
    return any(
        re.search(rf"\b{column}\b", text)
        and dates.EARLIEST.isoformat() in text
        and dates.LATEST.isoformat() in text
        for text in _checks(table).values()
    )


def test_every_date_column_has_the_range():
    missing = [
        f"{t.name}.{c.name}"
        for t in metadata.sorted_tables
        for c in t.columns
        if isinstance(c.type, sa.Date) and not _has_range(t, c.name)
    ]
    assert missing == []


def test_every_text_column_input_fills_has_a_length():
    missing = []
    for table in metadata.sorted_tables:
        checks = " ".join(_checks(table).values())
        for column in table.columns:
            if not isinstance(column.type, sa.Text) or column.name.endswith(SYSTEM_SUFFIXES):
                continue
            if (table.name, column.name) in SYSTEM_TEXT or column.name in checks:
                continue
            missing.append(f"{table.name}.{column.name}")
    assert missing == []


def test_the_migrated_database_holds_every_declared_check_validated(database):
    declared = {
        (t.name, f"ck_{t.name}_{name}") for t in metadata.sorted_tables for name in _checks(t)
    }
    stored = {
        (table, name): validated
        for table, name, validated in database.query(
            "SELECT conrelid::regclass::text, conname, convalidated FROM pg_constraint "
            "WHERE contype = 'c' AND connamespace = 'public'::regnamespace"
        )
    }
    assert declared - set(stored) == set()
    assert all(stored.values())


def test_sums_are_numeric_in_the_database(database):
    sums = [
        (t.name, c.name)
        for t in metadata.sorted_tables
        for c in t.columns
        if isinstance(c.type, MinorSum)
    ]
    assert len(sums) == 10
    for table, column in sums:
        assert database.query(
            "SELECT data_type FROM information_schema.columns "
            "WHERE table_name = %s AND column_name = %s",
            table,
            column,
        ) == [("numeric",)]


def test_the_migration_literals_are_the_domain_rules():
    migration = importlib.import_module(
        "dbschema.migrations.versions.0017_input_rules_in_the_database"
    )
    assert migration.CEILING == money.MAX_DOCUMENT_MINOR
    assert (migration.EARLIEST, migration.LATEST) == (
        dates.EARLIEST.isoformat(),
        dates.LATEST.isoformat(),
    )
    declared = {
        (t.name, name): text for t in metadata.sorted_tables for name, text in _checks(t).items()
    }
    for table, column, chars, *_ in migration.LENGTHS:
        assert declared[(table, f"{column}_length")] == f"char_length({column}) <= {chars}"
