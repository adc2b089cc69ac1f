"""Idempotent money movements: a key replays its first result; other content is refused.

A record stores the operation as a domain verb (never an API name) and the result as JSON
with the result dataclass's own field names, read back into that dataclass on a replay.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import types
import typing
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, Generic, NamedTuple, TypeVar
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from dbschema.ledger_tables import idempotency_keys
from domain.errors import DomainError
from services.uow import UnitOfWork

R = TypeVar("R")

PENDING: dict[str, Any] = {"pending": True}


@dataclasses.dataclass(frozen=True)
class Operation(Generic[R]):
    """A money movement run once per key: the verb its records are stored under, and the
    type its result is read back as (a frozen dataclass; `dict` for results not yet typed)."""

    verb: str
    result: type[R]


class Once(NamedTuple, Generic[R]):
    """A movement's result, and whether this call replayed an earlier one."""

    result: R
    replayed: bool


def fingerprint(payload: Any) -> str:
    """A stable hash of a request's content (key order and dates normalised)."""

    def default(value: Any) -> str:
        if isinstance(value, date):
            return value.isoformat()
        return str(value)

    text = json.dumps(payload, sort_keys=True, default=default, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def encode(result: Any) -> Any:
    """A result as stored: a dataclass by its field names, ids as strings."""
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return {f.name: _plain(getattr(result, f.name)) for f in dataclasses.fields(result)}
    return result


@functools.cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


def _typed(hint: Any, value: Any) -> Any:
    """A stored JSON value as the field's type: ids (alone, optional or in a tuple)."""
    if value is None:
        return None
    if hint is UUID:
        return UUID(value)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return _typed(next(a for a in args if a is not type(None)), value)
    if origin is tuple:
        return tuple(_typed(args[0], v) for v in value)
    return value


def decode(kind: type[R], stored: Any) -> R:
    """A stored result read back as the operation's result type."""
    if not dataclasses.is_dataclass(kind):
        return typing.cast(R, stored)
    hints = _hints(kind)
    return kind(**{name: _typed(hints[name], value) for name, value in stored.items()})


async def run_once(
    uow: UnitOfWork,
    operation: Operation[R],
    key: str,
    content: Any,
    work: Callable[[], Awaitable[R]],
) -> Once[R]:
    """Run `work` once per (operation, key); a replay returns the first result.

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
            operation=operation.verb,
            key=key,
            fingerprint=digest,
            result=PENDING,
        )
        .on_conflict_do_nothing()
        .returning(idempotency_keys.c.key)
    )
    mine = sa.and_(idempotency_keys.c.operation == operation.verb, idempotency_keys.c.key == key)
    if claimed is None:
        row = (
            await uow.conn.execute(
                sa.select(idempotency_keys.c.fingerprint, idempotency_keys.c.result).where(mine)
            )
        ).one()
        if row.fingerprint != digest:
            raise DomainError(
                "IDEMPOTENCY_MISMATCH",
                "this key was used before with different content",
                "idempotencyKey",
            )
        return Once(decode(operation.result, row.result), True)
    result = await work()
    await uow.conn.execute(idempotency_keys.update().where(mine).values(result=encode(result)))
    return Once(result, False)
