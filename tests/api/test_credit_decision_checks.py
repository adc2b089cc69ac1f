"""Migration 0027: the credit decisions' CHECKs are the domain's ranges. Each takes the largest
value the domain accepts and refuses one just over it, whoever writes the row; rows an older
version stored under the looser CHECKs are kept and named, and a pending request among them
can still be approved."""

from __future__ import annotations

import importlib
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
import sqlalchemy as sa
from psycopg.types.json import Jsonb

import dbschema.credit_analysis_tables
import dbschema.credit_application_tables
import dbschema.credit_limit_tables  # noqa: F401  every credit table on the metadata
from dbschema.credit_application_tables import GUARANTEES_CHARS
from dbschema.provision import downgrade, migrate
from dbschema.tables import metadata
from domain.credit.credit_agreements import (
    MAX_DESCRIPTION,
    MAX_GUARANTEES,
    Guarantee,
    GuaranteeKind,
)
from domain.money import MAX_DOCUMENT_MINOR, Money
from tests.conftest import Database

MIGRATION = importlib.import_module(
    "dbschema.migrations.versions.0027_credit_decisions_within_the_domain_ranges"
)
OLD_BOUND = 10**17  #: what migration 0010 let a limit reach (exclusive)
Row = dict[str, Any]


def _insert(conn: psycopg.Connection[Any], table: str, values: Row) -> str:
    """One row as the owner writes it (no service in the way); its id."""
    columns = ", ".join(values)
    marks = ", ".join(["%s"] * len(values))
    row = conn.execute(
        f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id::text",
        list(values.values()),
    ).fetchone()
    assert row is not None
    return str(row[0])


def _refusal(database: Database, table: str, values: Row) -> str | None:
    """The CHECK that refuses the row, or None when it would be stored (rolled back either
    way, so each case starts from the same rows)."""
    with psycopg.connect(database.owner_url) as conn:
        try:
            _insert(conn, table, values)
        except psycopg.errors.CheckViolation as exc:
            return exc.diag.constraint_name
        finally:
            conn.rollback()
    return None


def _rows(database: Database, tenant: uuid.UUID) -> dict[str, Row]:
    """A customer with a limit request and its decision stored; and a valid row, not stored,
    of each table a CHECK was tightened on."""
    t = str(tenant)
    with psycopg.connect(database.owner_url, autocommit=True) as conn:
        customer = _insert(
            conn,
            "customers",
            {"tenant_id": t, "code": "CEIL-1", "legal_name": "Ceiling Co", "country": "CN"},
        )
        terms: Row = {
            "tenant_id": t,
            "customer_id": customer,
            "scope": "CUSTOMER",
            "kind": "STANDARD",
            "currency": "CNY",
            "amount_minor": 100,
            "valid_from": date(2026, 1, 1),
            "basis": "MANUAL",
        }
        request: Row = {
            **terms,
            "tier": "ANALYST",
            "approvals_required": 1,
            "snapshot": Jsonb({}),
            "created_by": "ana",
        }
        request_id = _insert(conn, "credit_limit_requests", request)
        decision: Row = {
            "tenant_id": t,
            "kind": "LIMIT",
            "subject_id": request_id,
            "customer_id": customer,
            "snapshot": Jsonb({}),
            "outcome": Jsonb({}),
            "versions": Jsonb({}),
            "decided_by": "max",
        }
        decision_id = _insert(conn, "credit_decisions", decision)
    owned = {"tenant_id": t, "customer_id": customer}
    return {
        "customer": {"id": customer},
        "credit_limit_requests": request,
        "credit_limits": {
            **terms,
            "request_id": request_id,
            "requested_by": "ana",
            "approved_by": ["max"],
            "decision_id": decision_id,
        },
        "credit_reservations": {
            **owned,
            "order_ref": "SO-CEIL-1",
            "currency": "CNY",
            "amount_minor": 100,
            "expires_at": datetime.now(UTC) + timedelta(hours=1),
            "decision_id": decision_id,
            "created_by": "sam",
        },
        "financial_statements": {
            **owned,
            "period_start": date(2025, 1, 1),
            "period_end": date(2025, 12, 31),
            "kind": "ANNUAL",
            "source": "AUDITED",
            "currency": "CNY",
            "unit": "YUAN",
            "total_assets_minor": 100,
            "total_liabilities_minor": 50,
            "equity_minor": 50,
            "negative_equity": False,
            "z_inputs": Jsonb({}),
            "fingerprint": "f",
            "created_by": "fay",
        },
        "credit_external_records": {
            **owned,
            "kind": "BUREAU_REPORT",
            "source": "bureau",
            "source_ref": "R-1",
            "recorded_on": date(2026, 1, 1),
            "evidence": "archive",
            "score": "A",
            "amount_minor": 100,
            "currency": "CNY",
            "fingerprint": "f",
            "created_by": "fay",
        },
        "credit_agreements": {
            **owned,
            "currency": "CNY",
            "limit_minor": 100,
            "terms_code": "NET30",
            "late_interest_daily_rate": "0.0005",
            "guarantees": Jsonb([]),
            "dispute_venue": "COURT",
            "venue_name": "Court",
            "valid_from": date(2026, 1, 1),
            "valid_to": date(2026, 12, 31),
            "created_by": "max",
        },
    }


def _largest_guarantees() -> list[Row]:
    """The longest guarantees the domain accepts: as many as it allows, each description at
    its limit in characters JSON writes as six ("\\u0001"), the longest kind, the largest
    amount a BIGINT holds."""
    kind = max(GuaranteeKind, key=lambda k: len(k.value))
    one = Guarantee(kind, "\x01" * MAX_DESCRIPTION, Money(2**63 - 1, "CNY"))
    return [one.to_json()] * MAX_GUARANTEES


def _guarantees_of(database: Database, chars: int) -> list[Row]:
    """One guarantee whose JSON text is exactly `chars` characters."""
    empty = {"kind": "COLLATERAL", "description": "", "amount": None}
    (base,) = database.query("SELECT char_length(%s::jsonb::text)", Jsonb([empty]))[0]
    return [{**empty, "description": "x" * (chars - base)}]


def test_each_check_takes_the_domains_largest_value_and_refuses_one_just_over(
    database: Database, tenants: dict[str, uuid.UUID]
) -> None:
    # given valid rows of every table a CHECK was tightened on
    rows = _rows(database, tenants["acme"])
    largest = _largest_guarantees()
    # (the domain's longest guarantees fit, with room to spare)
    assert database.query("SELECT char_length(%s::jsonb::text)", Jsonb(largest))[0][0] == 31_150
    cases: list[tuple[str, str, Any, Any]] = [
        ("credit_limit_requests", "amount_minor", MAX_DOCUMENT_MINOR, MAX_DOCUMENT_MINOR + 1),
        ("credit_limits", "amount_minor", MAX_DOCUMENT_MINOR, MAX_DOCUMENT_MINOR + 1),
        ("credit_reservations", "amount_minor", MAX_DOCUMENT_MINOR, MAX_DOCUMENT_MINOR + 1),
        ("financial_statements", "currency", "CNY", "cny"),
        ("credit_external_records", "currency", "CNY", "cny"),
        ("credit_agreements", "guarantees", Jsonb(largest), Jsonb(largest + largest[:1])),
        (
            "credit_agreements",
            "guarantees",
            Jsonb(_guarantees_of(database, GUARANTEES_CHARS)),
            Jsonb(_guarantees_of(database, GUARANTEES_CHARS + 1)),
        ),
    ]
    names = {r.table: r.constraint for r in MIGRATION.RULES}
    for table, column, at_limit, over in cases:
        # when the largest value the domain accepts is written, and then one just over it
        stored = _refusal(database, table, {**rows[table], column: at_limit})
        refused = _refusal(database, table, {**rows[table], column: over})
        # then the first is stored and the tightened CHECK refuses the second
        assert (table, column, stored) == (table, column, None)
        assert (table, column, refused) == (table, column, names[table])


def test_the_migration_literals_are_the_domain_rules_and_the_declared_checks() -> None:
    assert MIGRATION.CEILING == MAX_DOCUMENT_MINOR
    assert MIGRATION.MAX_GUARANTEES == MAX_GUARANTEES
    assert MIGRATION.GUARANTEES_CHARS == GUARANTEES_CHARS
    for rule in MIGRATION.RULES:
        declared = {
            str(c.name): str(c.sqltext)
            for c in metadata.tables[rule.table].constraints
            if isinstance(c, sa.CheckConstraint)
        }
        assert declared[rule.constraint] == rule.rule


def _seed_old_rows(database: Database, rows: dict[str, Row]) -> dict[str, str]:
    """What versions before the ceiling accepted: a pending request and an approved limit
    above it, a reservation above it; and a request at the ceiling."""
    request = rows["credit_limit_requests"]
    ids: dict[str, str] = {}
    with psycopg.connect(database.owner_url, autocommit=True) as conn:
        for name, amount in (
            ("pending", OLD_BOUND - 1),
            ("approved", 2 * MAX_DOCUMENT_MINOR),
            ("at_ceiling", MAX_DOCUMENT_MINOR),
        ):
            ids[name] = _insert(conn, "credit_limit_requests", {**request, "amount_minor": amount})
        conn.execute(
            "UPDATE credit_limit_requests SET status = 'APPROVED' WHERE id = %s", (ids["approved"],)
        )
        limit = {**rows["credit_limits"], "amount_minor": 2 * MAX_DOCUMENT_MINOR}
        ids["limit"] = _insert(conn, "credit_limits", {**limit, "request_id": ids["approved"]})
        reservation = {**rows["credit_reservations"], "amount_minor": 3 * MAX_DOCUMENT_MINOR}
        ids["reservation"] = _insert(conn, "credit_reservations", reservation)
    return ids


def _kept(database: Database) -> list[tuple[str, str, str]]:
    """This revision's records of rows kept above a limit: table, row id, note."""
    return database.query(
        "SELECT table_name, row_key->>'id', note FROM data_repairs "
        "WHERE revision = '0027' AND action = 'KEPT' ORDER BY table_name, row_key->>'id'"
    )


def _over(database: Database, rows: dict[str, Row], request_id: str) -> list[str | None]:
    """What refuses a new request, limit and reservation a minor unit above the ceiling."""
    over = {"amount_minor": MAX_DOCUMENT_MINOR + 1}
    return [
        _refusal(database, "credit_limit_requests", {**rows["credit_limit_requests"], **over}),
        _refusal(
            database, "credit_limits", {**rows["credit_limits"], **over, "request_id": request_id}
        ),
        _refusal(
            database,
            "credit_reservations",
            {**rows["credit_reservations"], **over, "order_ref": "SO-NEW"},
        ),
    ]


def test_old_rows_above_the_ceiling_are_kept_named_and_can_still_move_on(
    database: Database, tenants: dict[str, uuid.UUID]
) -> None:
    # given a database before 0027, with what the looser CHECKs let older versions store
    downgrade(database.owner_url, "credit_app", "0026")
    rows = _rows(database, tenants["acme"])
    ids = _seed_old_rows(database, rows)
    # when the migration runs
    migrate(database.owner_url, "credit_app")
    # then every row above the ceiling is kept as it was and on record, the one at it is not
    kept = _kept(database)
    assert sorted((table, key) for table, key, _ in kept) == sorted(
        [
            ("credit_limit_requests", ids["pending"]),
            ("credit_limit_requests", ids["approved"]),
            ("credit_limits", ids["limit"]),
            ("credit_reservations", ids["reservation"]),
        ]
    )
    notes = {key: note for _, key, note in kept}
    assert notes[ids["pending"]].endswith(": kept, and its limit may be approved")
    assert notes[ids["reservation"]] == (
        f"{3 * MAX_DOCUMENT_MINOR} minor units, above {MAX_DOCUMENT_MINOR}: kept"
    )
    assert database.query(
        "SELECT amount_minor FROM credit_limit_requests WHERE id = %s", ids["pending"]
    ) == [(OLD_BOUND - 1,)]
    assert (
        database.query("SELECT conname FROM pg_constraint WHERE contype = 'c' AND NOT convalidated")
        == []
    )
    assert (
        database.query(
            "SELECT relname FROM pg_class WHERE relname = ANY(%s) AND NOT relforcerowsecurity",
            MIGRATION.TABLES,
        )
        == []
    )
    # when the pending request is approved (its limit appended, its status changed) and the
    # reservation confirmed, as the services do
    with psycopg.connect(database.owner_url, autocommit=True) as conn:
        limit = {**rows["credit_limits"], "request_id": ids["pending"]}
        _insert(conn, "credit_limits", {**limit, "amount_minor": OLD_BOUND - 1})
        conn.execute(
            "UPDATE credit_limit_requests SET status = 'APPROVED' WHERE id = %s", (ids["pending"],)
        )
        conn.execute(
            "UPDATE credit_reservations SET status = 'CONFIRMED' WHERE id = %s",
            (ids["reservation"],),
        )
    # then both were stored, but a new row above the ceiling is still refused
    assert _over(database, rows, ids["at_ceiling"]) == [
        "ck_credit_limit_requests_amount_in_range",
        "ck_credit_limits_amount_in_range",
        "ck_credit_reservations_amount_minor_ceiling",
    ]
    # when the migration is undone
    downgrade(database.owner_url, "credit_app", "0026")
    # then the old CHECKs are back and this revision's records are gone
    assert _kept(database) == []
    assert _over(database, rows, ids["at_ceiling"]) == [None, None, None]
    request = rows["credit_limit_requests"]
    assert (
        _refusal(database, "credit_limit_requests", {**request, "amount_minor": OLD_BOUND})
        == "ck_credit_limit_requests_amount_in_range"
    )
    # and done again, it names the same rows once, the limit approved meanwhile with them
    migrate(database.owner_url, "credit_app")
    assert len(_kept(database)) == len(kept) + 1
