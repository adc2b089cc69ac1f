"""Batches of rows that name their customer by code: valid rows are saved, refused ones come
back by index with their errors (statements imported from CSV, records pushed by integrators)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

import sqlalchemy as sa

from dbschema.tables import customers
from domain.errors import DomainError, NotFound, ValidationFailed
from services.uow import UnitOfWork

R = TypeVar("R")
MAX_ROWS = 5000  #: one batch carries at most this many rows


@dataclass(frozen=True)
class RowResult:
    """What happened to one row: CREATED, UPDATED, UNCHANGED or ERROR (with its errors)."""

    index: int
    status: str
    id: UUID | None
    errors: tuple[DomainError, ...]


async def import_rows(
    uow: UnitOfWork,
    rows: Sequence[R],
    code_of: Callable[[R], str],
    save: Callable[[UUID, R], Awaitable[tuple[UUID, str]]],
) -> list[RowResult]:
    """Resolve every row's customer code in one query, then save row by row."""
    if len(rows) > MAX_ROWS:
        raise DomainError("TOO_MANY", f"at most {MAX_ROWS} rows", "rows")
    codes = {code_of(r).strip() for r in rows}
    found = await uow.conn.execute(
        sa.select(customers.c.code, customers.c.id).where(customers.c.code.in_(codes))
    )
    ids = {code: cid for code, cid in found}
    out: list[RowResult] = []
    for n, row in enumerate(rows):
        try:
            customer_id = ids.get(code_of(row).strip())
            if customer_id is None:
                raise NotFound("customerCode", "customer")
            saved_id, status = await save(customer_id, row)
        except DomainError as exc:
            out.append(RowResult(n, "ERROR", None, (exc,)))
        except ValidationFailed as exc:
            out.append(RowResult(n, "ERROR", None, tuple(exc.errors)))
        else:
            out.append(RowResult(n, status, saved_id, ()))
    return out
