"""Idempotent money movements: a key replays its first result; other content is refused."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from dbschema.ledger_tables import idempotency_keys
from domain.errors import DomainError
from services.uow import UnitOfWork

PENDING: dict[str, Any] = {"pending": True}


def fingerprint(payload: Any) -> str:
    """A stable hash of a request's content (key order and dates normalised)."""

    def default(value: Any) -> str:
        if isinstance(value, date):
            return value.isoformat()
        return str(value)

    text = json.dumps(payload, sort_keys=True, default=default, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


async def run_once(
    uow: UnitOfWork,
    operation: str,
    key: str,
    content: Any,
    work: Callable[[], Awaitable[dict[str, Any]]],
) -> tuple[dict[str, Any], bool]:
    """Run `work` once per (operation, key); returns (result, replayed).

    The key row is inserted first: a concurrent request with the same key waits on it and
    then reads the committed result, so two racing replays never both move money.
    """
    if not key or len(key) > 200:
        raise DomainError(
            "INVALID_INPUT", "an idempotency key of 1-200 characters is required", "idempotencyKey"
        )
    digest = fingerprint(content)
    claimed = await uow.conn.scalar(
        insert(idempotency_keys)
        .values(
            tenant_id=uow.tenant_id,
            operation=operation,
            key=key,
            fingerprint=digest,
            result=PENDING,
        )
        .on_conflict_do_nothing()
        .returning(idempotency_keys.c.key)
    )
    if claimed is None:
        row = (
            await uow.conn.execute(
                sa.select(idempotency_keys.c.fingerprint, idempotency_keys.c.result).where(
                    idempotency_keys.c.operation == operation, idempotency_keys.c.key == key
                )
            )
        ).one()
        if row.fingerprint != digest:
            raise DomainError(
                "IDEMPOTENCY_MISMATCH",
                "this key was used before with different content",
                "idempotencyKey",
            )
        return dict(row.result), True
    result = await work()
    await uow.conn.execute(
        idempotency_keys.update()
        .where(
            idempotency_keys.c.operation == operation,
            idempotency_keys.c.key == key,
        )
        .values(result=result)
    )
    return result, False
