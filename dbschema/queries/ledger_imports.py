"""Bulk import writes: thousands of invoices, payments and allocations a statement.

Every insert passes its rows as one JSON array (`json_to_recordset`), so there is no
bind-parameter limit and one statement compiles for any batch size. New rows get time-ordered
ids (dbschema.ids) and go in sorted by what their busiest random-keyed index is keyed on, so
a batch walks each index once in key order instead of dirtying a scattered page per row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple
from uuid import UUID

import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.engine import fetch_native
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


def _uuid_text(value: object) -> str:
    """JSON for the uuids orjson does not know (asyncpg's own subclass of UUID)."""
    if isinstance(value, UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not a column value")


def _as_int(value: UUID) -> int:
    """A uuid's sort key, in PostgreSQL's order: ints compare in C, UUIDs in Python."""
    return value.int


async def _insert_sorted(
    conn: AsyncConnection,
    statement: sa.TextClause,
    rows: Sequence[dict[str, Any]],
    order_by: str,
    **constants: Any,
) -> tuple[list[UUID], int]:
    """Insert rows in `order_by` (a uuid column) order, each with a new time-ordered id (set
    in the row as its "id"): the ids in row order and how many rows went in (the others
    collided and were skipped)."""
    ordered = sorted(rows, key=lambda row: _as_int(row[order_by]))
    for row, new_id in zip(ordered, time_ordered_ids(len(rows)), strict=True):
        row["id"] = new_id
    body = orjson.dumps(ordered, default=_uuid_text)
    result = await conn.execute(statement, {"rows": body.decode(), **constants})
    return [row["id"] for row in rows], result.rowcount


async def _new_ids(
    conn: AsyncConnection,
    table: sa.Table,
    statement: sa.TextClause,
    tenant_id: UUID,
    actor: str,
    rows: Sequence[dict[str, Any]],
) -> dict[str, UUID]:
    """Insert documents with external ids; the new ids by external id (rows that collide with
    an existing number or external id are skipped, not raised)."""
    ids, count = await _insert_sorted(
        conn, statement, rows, "customer_id", tenant_id=tenant_id, created_by=actor
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
) -> dict[str, UUID]:
    """Insert many payments in one statement; colliding external ids are skipped (with
    `skip=False`, raised as the IntegrityError of a unique violation)."""
    statement = BULK_PAYMENTS_SQL if skip else BULK_PAYMENTS_STRICT_SQL
    return await _new_ids(conn, payments, statement, tenant_id, actor, rows)


class Planned(NamedTuple):
    """One allocation line of a batch plan: the payment's position in the batch, the invoice,
    the amount, and the invoice's open amount as the plan read it."""

    ord: int
    invoice_id: UUID
    amount: int
    open_minor: int


#: How many open invoices per customer and currency the plan reads first, oldest due first:
#: a payment seldom reaches further (on the benchmark tenant it uses 1.1 on average), and a
#: customer's batch that does is planned again DEEPER times as deep, then with all of them
#: (most of an import was reading ~20 open invoices per customer to use one; every invoice
#: read is a heap page read, the index not holding open amounts: see ix_invoices_open).
PLAN_DEPTH = 1
DEEPER = 4

#: The batch's payments, each an interval of its customer's and currency's running total.
_PAYMENTS = """pay AS (
    SELECT p.ord, p.customer_id, p.currency,
           sum(p.amount) OVER w - p.amount AS lo, sum(p.amount) OVER w AS hi
      FROM unnest(CAST(:customers AS uuid[]), CAST(:currencies AS bpchar[]),
                  CAST(:amounts AS bigint[]))
           WITH ORDINALITY AS p(customer_id, currency, amount, ord)
    WINDOW w AS (PARTITION BY p.customer_id, p.currency ORDER BY p.ord)
)"""
#: What each payment takes from each open invoice `inv` (intervals of running open totals).
_LINES = """
SELECT pay.ord - 1 AS ord, inv.id AS invoice_id,
       CAST(least(pay.hi, inv.hi) - greatest(pay.lo, inv.lo) AS bigint) AS amount,
       inv.open_minor, {short} AS short
  FROM pay
  JOIN inv ON inv.customer_id = pay.customer_id AND inv.currency = pay.currency
          AND inv.lo < pay.hi AND inv.hi > pay.lo
 ORDER BY pay.ord, inv.lo"""
#: An open invoice's interval: its customer's and currency's running total of open amounts,
#: oldest due first (ties: issue date, then id).
_INTERVAL = """sum(open_minor) OVER w - open_minor AS lo, sum(open_minor) OVER w AS hi"""
_OLDEST_FIRST = "w AS (PARTITION BY customer_id, currency ORDER BY due_date, issue_date, id)"

#: Oldest-due-first allocation of a batch of payments, set-wise: each payment covers an
#: interval of its customer's and currency's running total of the batch's payments, each open
#: invoice one of the running total of open amounts; a payment takes from an invoice what
#: their intervals share. That is the sequential rule
#: (domain.allocation.allocate_batch_oldest_first) without the sequence. Only the first
#: `depth` open invoices of each customer and currency are read (all when NULL); `short`
#: marks a customer whose batch owes more than those hold.
PLAN_OLDEST_FIRST_SQL = sa.text(f"""
WITH {_PAYMENTS}, owed AS (
    SELECT customer_id, currency, max(hi) AS total FROM pay GROUP BY customer_id, currency
), open_items AS (
    SELECT o.customer_id, o.currency, o.total, i.id, i.due_date, i.issue_date, i.open_minor
      FROM owed o
      CROSS JOIN LATERAL (
          SELECT i.id, i.due_date, i.issue_date, i.open_minor
            FROM invoices i
           WHERE i.customer_id = o.customer_id AND i.currency = o.currency
             AND i.is_open
           ORDER BY i.due_date, i.issue_date, i.id
           LIMIT CAST(:depth AS bigint)
      ) i
), inv AS (
    SELECT id, customer_id, currency, open_minor, {_INTERVAL},
           count(*) OVER g = CAST(:depth AS bigint) AND sum(open_minor) OVER g < total AS short
      FROM open_items
    WINDOW {_OLDEST_FIRST}, g AS (PARTITION BY customer_id, currency)
){_LINES.format(short="coalesce(inv.short, false)")}""")


#: The same for the driver: its ~6,000 rows come back as asyncpg records (see fetch_native).
PLAN_OLDEST_FIRST_NATIVE = (
    PLAN_OLDEST_FIRST_SQL.text.replace(":customers", "$1")
    .replace(":currencies", "$2")
    .replace(":amounts", "$3")
    .replace(":depth", "$4")
)


async def _plan(
    conn: AsyncConnection, batch: Sequence[tuple[UUID, str, int]], depth: int | None
) -> list[Any]:
    """The plan's rows: (ord, invoice_id, amount, open_minor, short) by position."""
    customers, currencies, amounts = (list(c) for c in zip(*batch, strict=True))
    return await fetch_native(conn, PLAN_OLDEST_FIRST_NATIVE, customers, currencies, amounts, depth)


async def plan_oldest_first(
    conn: AsyncConnection,
    batch: Sequence[tuple[UUID, str, int]],
    depth: int | None = PLAN_DEPTH,
) -> list[Planned]:
    """Allocate a batch of payments `(customer, currency, amount)`, in batch order, oldest due
    first, over the open invoices as this statement sees them (nothing locked: see
    lock_planned): lines by batch position. The invoices never travel to Python."""
    lines: list[Planned] = []
    todo = list(range(len(batch)))  # batch positions still to plan
    for deep in (depth, depth * DEEPER, None) if depth else (None,):
        if not todo:
            break
        rows = await _plan(conn, [batch[n] for n in todo], deep)
        # customers whose batch owes more than their first invoices hold: read deeper
        short = {batch[todo[r[0]]][:2] for r in rows if r[4]}
        lines += [
            Planned(todo[o], invoice_id, amount, open_minor)
            for o, invoice_id, amount, open_minor, _ in rows
            if not short or batch[todo[o]][:2] not in short
        ]
        todo = [n for n in todo if batch[n][:2] in short]
    lines.sort(key=lambda line: line.ord)  # stable: each payment's lines stay oldest first
    return lines


#: Lock invoices in id order and count those whose open amount is not what a plan read.
LOCK_PLANNED_SQL = sa.text("""
WITH locked AS (
    SELECT id, open_minor FROM invoices
     WHERE id = ANY(CAST(:ids AS uuid[])) ORDER BY id FOR UPDATE
)
SELECT count(*) FROM unnest(CAST(:ids AS uuid[]), CAST(:seen AS bigint[])) AS s(id, open_minor)
  LEFT JOIN locked l ON l.id = s.id
 WHERE l.open_minor IS DISTINCT FROM s.open_minor
""")


async def lock_planned(conn: AsyncConnection, seen: Mapping[UUID, int]) -> bool:
    """Lock a plan's invoices in id order (the global order: no deadlock with other
    allocators); whether each is still open by what the plan read. When not, the plan is
    stale: roll it back and plan under plan_oldest_first_locked."""
    if not seen:
        return True
    ids = sorted(seen, key=_as_int)
    moved = await conn.scalar(LOCK_PLANNED_SQL, {"ids": ids, "seen": [seen[i] for i in ids]})
    return bool(moved == 0)


#: lock_planned and, when nothing moved, the balances moved, in one statement: the lock is
#: taken (id order) and counted before the UPDATE touches a row, which then finds every page
#: it needs just read.
LOCK_AND_MOVE_SQL = sa.text("""
WITH locked AS MATERIALIZED (
    SELECT id, open_minor FROM invoices
     WHERE id = ANY(CAST(:ids AS uuid[])) ORDER BY id FOR UPDATE
), moved AS MATERIALIZED (
    SELECT count(*) AS n
      FROM unnest(CAST(:ids AS uuid[]), CAST(:seen AS bigint[])) AS s(id, open_minor)
      LEFT JOIN locked l ON l.id = s.id
     WHERE l.open_minor IS DISTINCT FROM s.open_minor
), updated AS (
    UPDATE invoices i SET open_minor = i.open_minor - d.amount
      FROM unnest(CAST(:ids AS uuid[]), CAST(:amounts AS bigint[])) AS d(id, amount)
     WHERE i.id = d.id AND (SELECT n FROM moved) = 0
    RETURNING 1
)
SELECT (SELECT n FROM moved) AS moved, (SELECT count(*) FROM updated) AS updated
""")


async def lock_and_move(conn: AsyncConnection, plan: Sequence[Planned]) -> bool:
    """Lock a plan's invoices in id order and, when each is still open by what the plan read,
    take the plan's amounts off their open balances; whether it did (when not, nothing moved:
    the plan is stale, as lock_planned would have said)."""
    seen: dict[UUID, int] = {}
    moves: dict[UUID, int] = {}
    for line in plan:
        seen[line.invoice_id] = line.open_minor
        moves[line.invoice_id] = moves.get(line.invoice_id, 0) + line.amount
    if not seen:
        return True
    ids = sorted(seen, key=_as_int)
    row = (
        await conn.execute(
            LOCK_AND_MOVE_SQL,
            {"ids": ids, "seen": [seen[i] for i in ids], "amounts": [moves[i] for i in ids]},
        )
    ).one()
    return bool(row.moved == 0)


#: The same plan with every open invoice of the batch's customers locked first (id order), so
#: nobody can move them while it is made: for when lock_planned found the plan stale.
PLAN_OLDEST_FIRST_LOCKED_SQL = sa.text(f"""
WITH {_PAYMENTS}, open_items AS MATERIALIZED (
    SELECT i.id, i.customer_id, i.currency, i.due_date, i.issue_date, i.open_minor
      FROM invoices i
     WHERE i.customer_id = ANY(CAST(:customer_set AS uuid[])) AND i.is_open
     ORDER BY i.id
       FOR UPDATE
), inv AS (
    SELECT id, customer_id, currency, open_minor, {_INTERVAL}
      FROM open_items
    WINDOW {_OLDEST_FIRST}
){_LINES.format(short="false")}""")


async def plan_oldest_first_locked(
    conn: AsyncConnection, batch: Sequence[tuple[UUID, str, int]]
) -> list[Planned]:
    """plan_oldest_first under lock: the batch's customers' open invoices locked (id order)
    as they are read, so the plan cannot go stale."""
    if not batch:
        return []
    customers, currencies, amounts = (list(c) for c in zip(*batch, strict=True))
    rows = await conn.execute(
        PLAN_OLDEST_FIRST_LOCKED_SQL,
        {
            "customers": customers,
            "currencies": currencies,
            "amounts": amounts,
            "customer_set": sorted(set(customers), key=_as_int),
        },
    )
    return [Planned(r.ord, r.invoice_id, r.amount, r.open_minor) for r in rows]


async def post_payment_allocations_bulk(
    conn: AsyncConnection,
    tenant_id: UUID,
    actor: str,
    lines: Sequence[dict[str, Any]],
    unallocated: Mapping[UUID, int] | None = None,
    balances_moved: bool = False,
) -> None:
    """Insert payment allocation entries and move the invoices' open amounts by the same
    figures (unless `balances_moved`: lock_and_move did) and, when given, set the payments'
    unallocated amounts: a statement each."""
    if lines:
        await _insert_sorted(
            conn,
            BULK_ALLOCATIONS_SQL,
            lines,
            "invoice_id",
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
