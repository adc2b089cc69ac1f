"""Ledger reads and writes under row locks; balances change only beside their entries."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.ledger_tables import allocations, invoices, payments

#: An invoice's status as SQL, the set-wise twin of domain.invoices.invoice_status (a test
#: compares them on generated balances): open while owed, then written off or paid.
INVOICE_STATUS_SQL: dict[str, Any] = {
    "OPEN": invoices.c.open_minor > 0,
    "WRITTEN_OFF": sa.and_(invoices.c.open_minor <= 0, invoices.c.written_off_minor > 0),
    "PAID": sa.and_(invoices.c.open_minor <= 0, invoices.c.written_off_minor <= 0),
}


def invoice_status_is(status: str) -> Any:
    """The filter selecting invoices in one status (OPEN, PAID or WRITTEN_OFF)."""
    return INVOICE_STATUS_SQL[status]


async def lock_invoices(conn: AsyncConnection, ids: list[UUID]) -> dict[UUID, dict[str, Any]]:
    """Lock invoices in id order (one global order: concurrent allocators never deadlock)."""
    if not ids:
        return {}
    rows = await conn.execute(
        sa.select(invoices)
        .where(invoices.c.id.in_(sorted(set(ids))))
        .order_by(invoices.c.id)
        .with_for_update()
    )
    return {r.id: dict(r._mapping) for r in rows}


async def lock_open_invoices(
    conn: AsyncConnection, customer_id: UUID, currency: str
) -> list[dict[str, Any]]:
    """Lock a customer's open invoices in one currency, in id order."""
    rows = await conn.execute(
        sa.select(invoices)
        .where(
            invoices.c.customer_id == customer_id,
            invoices.c.currency == currency,
            invoices.c.open_minor > 0,
        )
        .order_by(invoices.c.id)
        .with_for_update()
    )
    return [dict(r._mapping) for r in rows]


async def lock_payment(conn: AsyncConnection, payment_id: UUID) -> dict[str, Any] | None:
    """Lock one payment (always before its invoices)."""
    row = (
        await conn.execute(sa.select(payments).where(payments.c.id == payment_id).with_for_update())
    ).first()
    return dict(row._mapping) if row else None


async def post_allocations(
    conn: AsyncConnection,
    tenant_id: UUID,
    *,
    kind: str,
    source_column: str,
    source_id: UUID,
    currency: str,
    lines: list[tuple[UUID, int]],
    effective_on: date,
    actor: str,
    reverses: dict[UUID, UUID] | None = None,
) -> list[UUID]:
    """Insert allocation entries and move each invoice's open amount by the same amounts."""
    created: list[UUID] = []
    for invoice_id, amount in lines:
        values: dict[str, Any] = dict(
            tenant_id=tenant_id,
            invoice_id=invoice_id,
            currency=currency,
            kind=kind,
            amount_minor=amount,
            effective_on=effective_on,
            created_by=actor,
        )
        values[source_column] = source_id
        if reverses is not None:
            values["reverses_id"] = reverses[invoice_id]
        allocation_id = await conn.scalar(
            allocations.insert().values(**values).returning(allocations.c.id)
        )
        await conn.execute(
            invoices.update()
            .where(invoices.c.id == invoice_id)
            .values(open_minor=invoices.c.open_minor - amount)
        )
        created.append(allocation_id)
    return created


async def net_payment_allocations(conn: AsyncConnection, payment_id: UUID) -> list[dict[str, Any]]:
    """Positive allocations of a payment that have not been reversed yet."""
    reversed_ids = sa.select(allocations.c.reverses_id).where(
        allocations.c.reverses_id.is_not(None)
    )
    rows = await conn.execute(
        sa.select(allocations)
        .where(
            allocations.c.payment_id == payment_id,
            allocations.c.amount_minor > 0,
            allocations.c.id.not_in(reversed_ids),
        )
        .order_by(allocations.c.invoice_id)
    )
    return [dict(r._mapping) for r in rows]


#: Column and array type of every value a bulk-imported invoice carries.
INVOICE_IMPORT_COLUMNS = (
    ("tenant_id", "uuid"),
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
    ("created_by", "text"),
)


def _unnest_insert(
    table: str, columns: tuple[tuple[str, str], ...], returning: str
) -> sa.TextClause:
    """`INSERT … SELECT FROM unnest(column arrays)`: one statement for thousands of rows."""
    return sa.text(
        "INSERT INTO {table} ({cols}) SELECT * FROM unnest({arrays}) "
        "ON CONFLICT DO NOTHING RETURNING {returning}".format(
            table=table,
            cols=", ".join(c for c, _ in columns),
            arrays=", ".join(f"CAST(:{c} AS {t}[])" for c, t in columns),
            returning=returning,
        )
    )


BULK_INVOICES_SQL = _unnest_insert("invoices", INVOICE_IMPORT_COLUMNS, "external_id, id")


async def bulk_insert_invoices(
    conn: AsyncConnection, rows: list[dict[str, Any]]
) -> dict[str, UUID]:
    """Insert many invoices in one statement (column arrays, so no bind-parameter limit);
    rows that collide with an existing number or external id are skipped, not raised."""
    params = {c: [r[c] for r in rows] for c, _ in INVOICE_IMPORT_COLUMNS}
    result = await conn.execute(BULK_INVOICES_SQL, params)
    return {r.external_id: r.id for r in result}


PAYMENT_IMPORT_COLUMNS = (
    ("tenant_id", "uuid"),
    ("external_id", "text"),
    ("customer_id", "uuid"),
    ("received_on", "date"),
    ("currency", "bpchar"),
    ("amount_minor", "bigint"),
    ("unallocated_minor", "bigint"),
    ("method", "text"),
    ("reference", "text"),
    ("fingerprint", "text"),
    ("created_by", "text"),
)
BULK_PAYMENTS_SQL = _unnest_insert("payments", PAYMENT_IMPORT_COLUMNS, "external_id, id")

ALLOCATION_IMPORT_COLUMNS = (
    ("tenant_id", "uuid"),
    ("invoice_id", "uuid"),
    ("currency", "bpchar"),
    ("kind", "text"),
    ("payment_id", "uuid"),
    ("amount_minor", "bigint"),
    ("effective_on", "date"),
    ("created_by", "text"),
)
BULK_ALLOCATIONS_SQL = _unnest_insert("allocations", ALLOCATION_IMPORT_COLUMNS, "id")


async def bulk_insert_payments(
    conn: AsyncConnection, rows: list[dict[str, Any]]
) -> dict[str, UUID]:
    """Insert many payments in one statement; colliding external ids are skipped."""
    params = {c: [r[c] for r in rows] for c, _ in PAYMENT_IMPORT_COLUMNS}
    return {r.external_id: r.id for r in await conn.execute(BULK_PAYMENTS_SQL, params)}


async def lock_open_invoices_of(
    conn: AsyncConnection, customer_ids: list[UUID]
) -> list[dict[str, Any]]:
    """Lock the open invoices of many customers at once, in id order (the global order)."""
    rows = await conn.execute(
        sa.select(invoices)
        .where(invoices.c.customer_id.in_(customer_ids), invoices.c.open_minor > 0)
        .order_by(invoices.c.id)
        .with_for_update()
    )
    return [dict(r._mapping) for r in rows]


async def post_payment_allocations_bulk(
    conn: AsyncConnection,
    lines: list[dict[str, Any]],
    unallocated: dict[UUID, int],
) -> None:
    """Insert allocation entries and move invoices' open amounts and payments' unallocated
    amounts by the same figures, three statements for any number of lines."""
    if lines:
        params = {c: [r[c] for r in lines] for c, _ in ALLOCATION_IMPORT_COLUMNS}
        await conn.execute(BULK_ALLOCATIONS_SQL, params)
        moved: dict[UUID, int] = {}
        for line in lines:
            moved[line["invoice_id"]] = moved.get(line["invoice_id"], 0) + line["amount_minor"]
        await conn.execute(
            sa.text(
                "UPDATE invoices i SET open_minor = i.open_minor - d.amount "
                "FROM unnest(CAST(:ids AS uuid[]), CAST(:amounts AS bigint[])) AS d(id, amount) "
                "WHERE i.id = d.id"
            ),
            {"ids": list(moved), "amounts": list(moved.values())},
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
