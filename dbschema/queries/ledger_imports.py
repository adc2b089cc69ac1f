"""Bulk import writes: thousands of invoices, payments and allocations a statement.

Every insert passes its rows as one JSON array (`json_to_recordset`), so there is no
bind-parameter limit and one statement compiles for any batch size. New rows get time-ordered
ids (dbschema.ids) and go in sorted by what their busiest random-keyed index is keyed on, so
a batch walks each index once in key order instead of dirtying a scattered page per row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.ids import time_ordered_ids
from dbschema.ledger_tables import invoices, payments

#: Column and type of every value a bulk-imported invoice carries.
INVOICE_IMPORT_COLUMNS = (
    ("id", "uuid"),
    ("number", "text"),
    ("external_id", "text"),
    ("customer_id", "uuid"),
    ("order_ref", "text"),
    ("issue_date", "date"),
    ("due_date", "date"),
    ("currency", "bpchar"),
    ("amount_minor", "bigint"),
    ("open_minor", "bigint"),
    ("salesperson", "text"),
    ("fingerprint", "text"),
)
PAYMENT_IMPORT_COLUMNS = (
    ("id", "uuid"),
    ("external_id", "text"),
    ("customer_id", "uuid"),
    ("received_on", "date"),
    ("currency", "bpchar"),
    ("amount_minor", "bigint"),
    ("unallocated_minor", "bigint"),
    ("method", "text"),
    ("reference", "text"),
    ("fingerprint", "text"),
)
ALLOCATION_IMPORT_COLUMNS = (
    ("id", "uuid"),
    ("invoice_id", "uuid"),
    ("currency", "bpchar"),
    ("payment_id", "uuid"),
    ("amount_minor", "bigint"),
    ("effective_on", "date"),
)


def _json_insert(
    table: str, columns: tuple[tuple[str, str], ...], skip: bool = True, **constants: str
) -> sa.TextClause:
    """`INSERT … SELECT FROM json_to_recordset(one JSON array of the rows)`: one statement and
    one parameter for thousands of rows (serialised in C, parsed by the server: building and
    encoding an array per column was most of the Python time of an import); the tenant, the
    author and `constants` (column: SQL type) are one parameter each. `skip`: rows that
    collide with a unique key are skipped (ON CONFLICT DO NOTHING), not raised."""
    fixed = {"tenant_id": "uuid", "created_by": "text", **constants}
    names = ", ".join(c for c, _ in columns)
    return sa.text(
        f"INSERT INTO {table} ({', '.join(fixed)}, {names}) "
        f"SELECT {', '.join(f'CAST(:{c} AS {t})' for c, t in fixed.items())}, {names} "
        "FROM json_to_recordset(CAST(CAST(:rows AS text) AS json)) "
        f"AS r({', '.join(f'{c} {t}' for c, t in columns)})"
        + (" ON CONFLICT DO NOTHING" if skip else "")
    )


BULK_INVOICES_SQL = _json_insert("invoices", INVOICE_IMPORT_COLUMNS)
BULK_PAYMENTS_SQL = _json_insert("payments", PAYMENT_IMPORT_COLUMNS)
#: The same, raising on a taken external id instead of checking every row against each
#: unique key first: for a batch that has made sure of its external ids and can start over.
BULK_PAYMENTS_STRICT_SQL = _json_insert("payments", PAYMENT_IMPORT_COLUMNS, skip=False)
#: Allocation ids are new (time-ordered, made here) and nothing else of an allocation is
#: unique: a plain insert, without ON CONFLICT's check of every row against the key first.
BULK_ALLOCATIONS_SQL = _json_insert(
    "allocations", ALLOCATION_IMPORT_COLUMNS, skip=False, kind="text"
)


#: The order bulk documents go in (their busiest random-keyed index is by customer), and
#: allocations (by invoice).
BY_CUSTOMER = "customer_id"
BY_INVOICE = "invoice_id"


def _uuid_text(value: object) -> str:
    """JSON for the uuids orjson does not know (asyncpg's own subclass of UUID)."""
    if isinstance(value, UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not a column value")


def _as_int(value: UUID) -> int:
    """A uuid's sort key, in PostgreSQL's order: ints compare in C, UUIDs in Python."""
    return value.int


def sorted_body(rows: Sequence[dict[str, Any]], order_by: str) -> str:
    """The body of a bulk insert: each row given a new time-ordered id (its "id"), the rows in
    `order_by` (a uuid column) order as one JSON array."""
    ordered = sorted(rows, key=lambda row: _as_int(row[order_by]))
    for row, new_id in zip(ordered, time_ordered_ids(len(rows)), strict=True):
        row["id"] = new_id
    return orjson.dumps(ordered, default=_uuid_text).decode()


async def _insert_sorted(
    conn: AsyncConnection,
    statement: sa.TextClause,
    rows: Sequence[dict[str, Any]],
    order_by: str,
    body: str | None = None,
    **constants: Any,
) -> tuple[list[UUID], int]:
    """Insert rows in `order_by` order, each with a new time-ordered id (see sorted_body;
    `body` when the caller made it already): the ids in row order and how many rows went in
    (the others collided and were skipped)."""
    if body is None:
        body = sorted_body(rows, order_by)
    result = await conn.execute(statement, {"rows": body, **constants})
    return [row["id"] for row in rows], result.rowcount


async def _new_ids(
    conn: AsyncConnection,
    table: sa.Table,
    statement: sa.TextClause,
    tenant_id: UUID,
    actor: str,
    rows: Sequence[dict[str, Any]],
    body: str | None = None,
) -> dict[str, UUID]:
    """Insert documents with external ids (in customer order: BY_CUSTOMER); the new ids by
    external id (rows that collide with an existing number or external id are skipped, not
    raised)."""
    ids, count = await _insert_sorted(
        conn, statement, rows, BY_CUSTOMER, body, tenant_id=tenant_id, created_by=actor
    )
    if count == len(rows):  # the usual case: nothing to read back
        return {r["external_id"]: new_id for r, new_id in zip(rows, ids, strict=True)}
    found = await conn.execute(
        sa.select(table.c.external_id, table.c.id).where(
            table.c.id == sa.func.any(sa.bindparam("ids"))
        ),
        {"ids": ids},
    )
    return dict(found.tuples().all())


async def bulk_insert_invoices(
    conn: AsyncConnection, tenant_id: UUID, actor: str, rows: Sequence[dict[str, Any]]
) -> dict[str, UUID]:
    """Insert many invoices in one statement; rows that collide with an existing number or
    external id are skipped, not raised. Returns the new ids by external id."""
    return await _new_ids(conn, invoices, BULK_INVOICES_SQL, tenant_id, actor, rows)


async def bulk_insert_payments(
    conn: AsyncConnection,
    tenant_id: UUID,
    actor: str,
    rows: Sequence[dict[str, Any]],
    skip: bool = True,
    body: str | None = None,
) -> dict[str, UUID]:
    """Insert many payments in one statement; colliding external ids are skipped (with
    `skip=False`, raised as the IntegrityError of a unique violation). `body`: the rows'
    sorted_body(rows, BY_CUSTOMER), when the caller made it already."""
    statement = BULK_PAYMENTS_SQL if skip else BULK_PAYMENTS_STRICT_SQL
    return await _new_ids(conn, payments, statement, tenant_id, actor, rows, body)


async def post_payment_allocations_bulk(
    conn: AsyncConnection,
    tenant_id: UUID,
    actor: str,
    lines: Sequence[dict[str, Any]],
    unallocated: Mapping[UUID, int] | None = None,
    balances_moved: bool = False,
    body: str | None = None,
) -> None:
    """Insert payment allocation entries and move the invoices' open amounts by the same
    figures (unless `balances_moved`: lock_and_move did) and, when given, set the payments'
    unallocated amounts: a statement each. `body`: the lines' sorted_body(lines, BY_INVOICE),
    when the caller made it already."""
    if lines:
        await _insert_sorted(
            conn,
            BULK_ALLOCATIONS_SQL,
            lines,
            BY_INVOICE,
            body,
            tenant_id=tenant_id,
            created_by=actor,
            kind="PAYMENT",
        )
    if lines and not balances_moved:
        moved: dict[UUID, int] = {}
        for line in lines:
            moved[line["invoice_id"]] = moved.get(line["invoice_id"], 0) + line["amount_minor"]
        ids = sorted(moved, key=_as_int)
        await conn.execute(
            sa.text(
                "UPDATE invoices i SET open_minor = i.open_minor - d.amount "
                "FROM unnest(CAST(:ids AS uuid[]), CAST(:amounts AS bigint[])) AS d(id, amount) "
                "WHERE i.id = d.id"
            ),
            {"ids": ids, "amounts": [moved[i] for i in ids]},
        )
    if unallocated:
        await conn.execute(
            sa.text(
                "UPDATE payments p SET unallocated_minor = d.left_over "
                "FROM unnest(CAST(:ids AS uuid[]), CAST(:left AS bigint[])) AS d(id, left_over) "
                "WHERE p.id = d.id"
            ),
            {"ids": list(unallocated), "left": list(unallocated.values())},
        )
