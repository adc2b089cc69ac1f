"""Run a service in a unit of work; domain refusals become userErrors, nothing is written."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain.errors import DomainError, ValidationFailed
from schema.context import Context
from schema.errors import UserError, user_errors
from schema.relay import from_global_id
from services.uow import UnitOfWork

T = TypeVar("T")
#: The description every mutation's single `input` argument carries.
INPUT = strawberry.argument(description="The mutation's input: what to change, and how.")


async def run(
    info: Info[Context, Any], fn: Callable[[UnitOfWork], Awaitable[T]]
) -> tuple[T | None, list[UserError]]:
    """Commit on success; roll back and report on a domain refusal."""
    try:
        async with info.context.uow() as uow:
            result = await fn(uow)
            await uow.commit()
        return result, []
    except (DomainError, ValidationFailed) as exc:
        return None, user_errors(exc)


def decode(global_id: str, expected: str, field: str = "id") -> UUID:
    """A global id of the expected type, or a NOT_FOUND domain error."""
    return from_global_id(global_id, expected, field)[1]
