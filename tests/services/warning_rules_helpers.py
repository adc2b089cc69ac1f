"""Seeding helpers for the warning-rules tests: rows written as the owner, quickly."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from services.uow import Actor, UnitOfWork
from services.warnings import engine

AS_OF = date(2026, 11, 30)


def customer(database: Any, tenant: UUID, code: str, **extra: Any) -> UUID:
    """A customer; extra columns as given."""
    cols = ["tenant_id", "code", "legal_name", "country", *extra]
    values = [tenant, code, f"{code} Ltd", "CN", *extra.values()]
    marks = ", ".join(["%s"] * len(cols))
    rows = database.query(
        f"INSERT INTO customers ({', '.join(cols)}) VALUES ({marks}) RETURNING id", *values
    )
    return UUID(str(rows[0][0]))


def invoice(
    database: Any, tenant: UUID, customer_id: UUID, number: str, due: date, minor: int = 100_00
) -> UUID:
    """An open invoice issued 30 days before it falls due."""
    rows = database.query(
        "INSERT INTO invoices (tenant_id, number, customer_id, issue_date, due_date, currency, "
        "amount_minor, open_minor, fingerprint, created_by) VALUES "
        "(%s, %s, %s, %s::date - 30, %s, 'CNY', %s, %s, 'f', 't') RETURNING id",
        tenant, number, customer_id, due, due, minor, minor,
    )  # fmt: skip
    return UUID(str(rows[0][0]))


def relate(database: Any, tenant: UUID, who: UUID, related: UUID, kind: str) -> None:
    """`related` is `who`'s `kind` (its PARENT ...)."""
    database.query(
        "INSERT INTO customer_relations (tenant_id, customer_id, related_customer_id, kind) "
        "VALUES (%s, %s, %s, %s)",
        tenant, who, related, kind,
    )  # fmt: skip


async def run(
    runtime: Any, tenant: UUID, as_of: date = AS_OF, now: datetime | None = None, only: Any = None
) -> engine.RunTally:
    """One rules run, committed."""
    async with UnitOfWork(runtime.engine, tenant, Actor("job:rules")) as uow:
        tally = await engine.run_rules(uow, as_of, only=only, now=now)
        await uow.commit()
    return tally
