"""Planning an import's payments oldest due first, set-wise, and locking what the plan uses.

The plan reads the open invoices as they stand (nothing locked), a few per customer first;
lock_and_move then locks, in id order, the invoices it uses, checks them unchanged and moves
their balances, in one statement. A stale plan is made again under lock
(plan_oldest_first_locked): services.ledger.import_allocation.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from typing import Any, NamedTuple
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.engine import fetch_native, send_native


def _as_int(value: UUID) -> int:
    """A uuid's sort key, in PostgreSQL's order: ints compare in C, UUIDs in Python."""
    return value.int


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
    lock_and_move): lines by batch position. The invoices never travel to Python."""
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


#: The plan's invoices locked in id order (the global order: no deadlock with other
#: allocators), those whose open amount is not what the plan read counted, and, when none
#: moved, the balances moved, in one statement: the lock is taken and counted before the
#: UPDATE touches a row, which then finds every page it needs just read.
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


#: The same for the driver (see start_lock_and_move).
LOCK_AND_MOVE_NATIVE = (
    LOCK_AND_MOVE_SQL.text.replace(":ids", "$1").replace(":seen", "$2").replace(":amounts", "$3")
)


async def start_lock_and_move(conn: AsyncConnection, plan: Sequence[Planned]) -> Awaitable[bool]:
    """lock_and_move sent and left running (the caller prepares its inserts meanwhile, on the
    other core): await the result before anything else uses the connection."""
    seen: dict[UUID, int] = {}
    moves: dict[UUID, int] = {}
    for line in plan:
        seen[line.invoice_id] = line.open_minor
        moves[line.invoice_id] = moves.get(line.invoice_id, 0) + line.amount
    ids = sorted(seen, key=_as_int)
    sent = await send_native(
        conn, LOCK_AND_MOVE_NATIVE, ids, [seen[i] for i in ids], [moves[i] for i in ids]
    )

    async def outcome() -> bool:
        (row,) = await sent
        return bool(row["moved"] == 0)

    return outcome()


async def lock_and_move(conn: AsyncConnection, plan: Sequence[Planned]) -> bool:
    """Lock a plan's invoices in id order and, when each is still open by what the plan read,
    take the plan's amounts off their open balances; whether it did (when not, nothing moved:
    the plan is stale: roll it back and plan under plan_oldest_first_locked)."""
    return await (await start_lock_and_move(conn, plan))


#: The same plan with every open invoice of the batch's customers locked first (id order), so
#: nobody can move them while it is made: for when lock_and_move found the plan stale.
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
