"""Migration 0028: a sales order's amount and a credit agreement's limit are within the
document ceiling in the database too. Each CHECK takes the largest value the domain accepts
and refuses one just over it; rows an older version stored above it are kept and named, and
survive a downgrade and an upgrade; and no statement that reads a whole table runs inside a
transaction that holds a lock stopping the table's writers (the credit checks)."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from dbschema.provision import downgrade, migrate
from dbschema.tables import metadata
from domain.money import MAX_DOCUMENT_MINOR
from tests.api.test_credit_decision_checks import _insert, _refusal, _rows
from tests.conftest import Database

MIGRATION = importlib.import_module(
    "dbschema.migrations.versions.0028_orders_and_agreements_within_the_ceiling"
)
OLD_ORDER_BOUND = 10**17  #: what migration 0010 let an order reach (exclusive)
BIGINT_MAX = 2**63 - 1  #: what an agreement's limit could reach before (no upper bound)
ORDER_CHECK = "ck_sales_orders_amount_in_range"
AGREEMENT_CHECK = "ck_credit_agreements_limit_minor_ceiling"
Row = dict[str, Any]


def _valid_rows(database: Database, tenant: uuid.UUID) -> dict[str, Row]:
    """A valid sales order and credit agreement of a customer (not stored)."""
    rows = _rows(database, tenant)
    order: Row = {
        "tenant_id": str(tenant),
        "customer_id": rows["customer"]["id"],
        "order_ref": "SO-CEIL-1",
        "currency": "CNY",
        "amount_minor": 100,
        "ordered_on": date(2026, 1, 5),
        "fingerprint": "f",
        "created_by": "sam",
    }
    return {"sales_orders": order, "credit_agreements": rows["credit_agreements"]}


def test_each_check_takes_the_domains_largest_value_and_refuses_one_just_over(
    database: Database, tenants: dict[str, uuid.UUID]
) -> None:
    # given a valid order and agreement
    rows = _valid_rows(database, tenants["acme"])
    cases = [
        ("sales_orders", "amount_minor", ORDER_CHECK),
        ("credit_agreements", "limit_minor", AGREEMENT_CHECK),
    ]
    for table, column, check in cases:
        # when the largest amount the domain accepts is written, and then one just over it
        stored = _refusal(database, table, {**rows[table], column: MAX_DOCUMENT_MINOR})
        refused = _refusal(database, table, {**rows[table], column: MAX_DOCUMENT_MINOR + 1})
        # then the first is stored and the tightened CHECK refuses the second
        assert (table, stored) == (table, None)
        assert (table, refused) == (table, check)
    # and an amount of nothing is still refused, as before
    zero = {**rows["sales_orders"], "amount_minor": 0}
    assert _refusal(database, "sales_orders", zero) == ORDER_CHECK


def test_the_migration_literals_are_the_domain_rules_and_the_declared_checks() -> None:
    assert MIGRATION.CEILING == MAX_DOCUMENT_MINOR
    for rule in MIGRATION.RULES:
        declared = {
            str(c.name): str(c.sqltext)
            for c in metadata.tables[rule.table].constraints
            if isinstance(c, sa.CheckConstraint)
        }
        assert declared[rule.constraint] == rule.rule


def _seed_old_rows(database: Database, rows: dict[str, Row]) -> dict[str, str]:
    """What versions before the ceiling accepted: an order and an agreement above it; and an
    order at the ceiling."""
    with psycopg.connect(database.owner_url, autocommit=True) as conn:
        order = rows["sales_orders"]
        return {
            "order": _insert(conn, "sales_orders", {**order, "amount_minor": OLD_ORDER_BOUND - 1}),
            "at_ceiling": _insert(
                conn,
                "sales_orders",
                {**order, "order_ref": "SO-AT", "amount_minor": MAX_DOCUMENT_MINOR},
            ),
            "agreement": _insert(
                conn, "credit_agreements", {**rows["credit_agreements"], "limit_minor": BIGINT_MAX}
            ),
        }


def _kept(database: Database) -> list[tuple[str, str, str, str]]:
    """This revision's records of rows kept above the ceiling: table, row id, column, note."""
    return database.query(
        "SELECT table_name, row_key->>'id', column_name, note FROM data_repairs "
        "WHERE revision = '0028' AND action = 'KEPT' ORDER BY table_name, row_key->>'id'"
    )


def _over(database: Database, rows: dict[str, Row]) -> list[str | None]:
    """What refuses a new order and a new agreement a minor unit above the ceiling."""
    over = MAX_DOCUMENT_MINOR + 1
    order = {**rows["sales_orders"], "order_ref": "SO-NEW", "amount_minor": over}
    return [
        _refusal(database, "sales_orders", order),
        _refusal(database, "credit_agreements", {**rows["credit_agreements"], "limit_minor": over}),
    ]


def test_old_rows_above_the_ceiling_are_kept_named_and_survive_a_round_trip(
    database: Database, tenants: dict[str, uuid.UUID]
) -> None:
    # given a database before 0028, with what the looser CHECKs let older versions store
    downgrade(database.owner_url, "credit_app", "0027")
    rows = _valid_rows(database, tenants["acme"])
    ids = _seed_old_rows(database, rows)
    # when the migration runs
    migrate(database.owner_url, "credit_app")
    # then each row above the ceiling is kept as it was and on record, the one at it is not
    kept = _kept(database)
    assert kept == sorted(
        [
            (
                "credit_agreements",
                ids["agreement"],
                "limit_minor",
                f"{BIGINT_MAX} minor units, above {MAX_DOCUMENT_MINOR}: kept",
            ),
            (
                "sales_orders",
                ids["order"],
                "amount_minor",
                f"{OLD_ORDER_BOUND - 1} minor units, above {MAX_DOCUMENT_MINOR}: kept",
            ),
        ]
    )
    assert database.query("SELECT amount_minor FROM sales_orders WHERE id = %s", ids["order"]) == [
        (OLD_ORDER_BOUND - 1,)
    ]
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
    # when the kept rows move on as the services move them (shipped, invoiced; signed)
    with psycopg.connect(database.owner_url, autocommit=True) as conn:
        conn.execute(
            "UPDATE sales_orders SET status = 'SHIPPED', invoiced_minor = 5 WHERE id = %s",
            (ids["order"],),
        )
        conn.execute(
            "UPDATE credit_agreements SET status = 'ACTIVE', signed_on = '2026-01-02' "
            "WHERE id = %s",
            (ids["agreement"],),
        )
    # then both were stored, but a new row above the ceiling is still refused
    assert _over(database, rows) == [ORDER_CHECK, AGREEMENT_CHECK]
    # when the migration is undone
    downgrade(database.owner_url, "credit_app", "0027")
    # then the old CHECKs are back, the rows kept and this revision's records gone
    assert _kept(database) == []
    assert _over(database, rows) == [None, None]
    order = {**rows["sales_orders"], "order_ref": "SO-OLD", "amount_minor": OLD_ORDER_BOUND}
    assert _refusal(database, "sales_orders", order) == ORDER_CHECK
    assert database.query("SELECT count(*) FROM sales_orders") == [(2,)]
    assert (
        database.query("SELECT conname FROM pg_constraint WHERE contype = 'c' AND NOT convalidated")
        == []
    )
    # and done again, it names the same rows once
    migrate(database.owner_url, "credit_app")
    assert [(t, k) for t, k, _, _ in _kept(database)] == [(t, k) for t, k, _, _ in kept]


def test_a_second_tenants_old_rows_are_named_too(
    database: Database, tenants: dict[str, uuid.UUID]
) -> None:
    # given old rows of two tenants (the migration reads every tenant's rows)
    downgrade(database.owner_url, "credit_app", "0027")
    acme = _seed_old_rows(database, _valid_rows(database, tenants["acme"]))
    globex = _seed_old_rows(database, _valid_rows(database, tenants["globex"]))
    # when
    migrate(database.owner_url, "credit_app")
    # then each tenant's records are its own
    found = database.query(
        "SELECT tenant_id, row_key->>'id' FROM data_repairs WHERE revision = '0028' ORDER BY 2"
    )
    assert sorted(found) == sorted(
        (tenants[slug], ids[kind])
        for slug, ids in (("acme", acme), ("globex", globex))
        for kind in ("order", "agreement")
    )


@pytest.fixture
def statements() -> Iterator[list[tuple[str, bool]]]:
    """Every statement sent through SQLAlchemy meanwhile, with whether it ran in autocommit
    (a transaction of its own, committed as it ends)."""
    seen: list[tuple[str, bool]] = []

    def record(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        seen.append((" ".join(statement.split()), bool(cursor.connection.autocommit)))

    sa.event.listen(Engine, "before_cursor_execute", record)
    yield seen
    sa.event.remove(Engine, "before_cursor_execute", record)


@pytest.mark.parametrize("direction", ["upgrade", "downgrade"])
def test_no_table_is_read_under_a_lock_held_for_longer_than_one_statement(
    database: Database,
    tenants: dict[str, uuid.UUID],
    statements: list[tuple[str, bool]],
    direction: str,
) -> None:
    # given old rows to find and record, before 0028 (or at it, to undo it)
    downgrade(database.owner_url, "credit_app", "0027")
    _seed_old_rows(database, _valid_rows(database, tenants["acme"]))
    if direction == "downgrade":
        migrate(database.owner_url, "credit_app")
    statements.clear()
    # when the migration runs
    if direction == "upgrade":
        migrate(database.owner_url, "credit_app")
    else:
        downgrade(database.owner_url, "credit_app", "0027")
    # then every statement on an order, an agreement or a record commits as it ends: a lock
    # one takes (a brief one, to change a CHECK or FORCE) is never held while another reads
    touching = [
        (sql, autocommit)
        for sql, autocommit in statements
        if any(table in sql for table in MIGRATION.TABLES)
    ]
    assert any("VALIDATE CONSTRAINT" in sql for sql, _ in touching)
    assert [sql for sql, autocommit in touching if not autocommit] == []
