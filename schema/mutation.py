"""The one mutation shape: run the work in a unit of work, build the payload from its result.

A domain refusal rolls back and becomes the payload's userErrors, so nothing is written.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain.errors import DomainError, ValidationFailed
from schema.context import Context
from schema.input_rules import refusals
from schema.relay import InvalidId, from_global_id
from schema.user_errors import ErrorCatalogue
from services.uow import UnitOfWork

log = logging.getLogger("credit.graphql")
T = TypeVar("T")
P = TypeVar("P")
#: The description every mutation's single `input` argument carries.
INPUT = strawberry.argument(description="The mutation's input: what to change, and how.")


async def respond(
    info: Info[Context, Any],
    payload: type[P],
    work: Callable[[UnitOfWork], Awaitable[T]],
    show: Callable[[T], Awaitable[Mapping[str, Any]]] | None = None,
    opening: str = "",
) -> P:
    """Commit the work and return `payload(**show(result))`; on a refusal, its userErrors.

    `payload` derives from a capability's payload base (schema.user_errors.catalogue), whose
    error type carries that capability's codes; `show` re-reads what the work changed;
    `opening` goes with the unit of work's BEGIN (services.uow).
    """
    catalogue = payload.catalogue  # type: ignore[attr-defined]
    refused = refusals()
    if refused:
        return payload(user_errors=catalogue.user_errors(await _refuse(info, work, refused)))
    try:
        async with info.context.uow(opening) as uow:
            result = await work(uow)
            await uow.commit()
    except (DomainError, ValidationFailed) as exc:
        return payload(user_errors=catalogue.user_errors(exc))
    except InvalidId as exc:
        return payload(user_errors=catalogue.user_errors(refusal_of(exc)))
    fields = await show(result) if show is not None else {}
    return payload(user_errors=[], **fields)


async def _refuse(
    info: Info[Context, Any],
    work: Callable[[UnitOfWork], Awaitable[Any]],
    refused: tuple[DomainError, ...],
) -> ValidationFailed:
    """The input rules refused the input: run the work only to hear its own refusals too, in
    a unit of work that is never committed, and report them all (the rules' first)."""
    found = list(refused)
    try:
        async with info.context.uow() as uow:
            await work(uow)
    except (DomainError, ValidationFailed, InvalidId) as exc:
        seen = {(e.field, e.code) for e in found}
        more = (
            exc.errors
            if isinstance(exc, ValidationFailed)
            else [refusal_of(exc) if isinstance(exc, InvalidId) else exc]
        )
        found += [e for e in more if (e.field, e.code) not in seen]
    except Exception:
        log.info("refused input failed its work too", exc_info=True)
    return ValidationFailed(found)


async def run(
    info: Info[Context, Any], catalogue: ErrorCatalogue, fn: Callable[[UnitOfWork], Awaitable[T]]
) -> tuple[T | None, list[Any]]:
    """Commit on success; roll back and report on a domain refusal (the older shape)."""
    refused = refusals()
    if refused:
        return None, catalogue.user_errors(await _refuse(info, fn, refused))
    try:
        async with info.context.uow() as uow:
            result = await fn(uow)
            await uow.commit()
        return result, []
    except (DomainError, ValidationFailed) as exc:
        return None, catalogue.user_errors(exc)
    except InvalidId as exc:
        return None, catalogue.user_errors(refusal_of(exc))


def refusal_of(exc: InvalidId) -> DomainError:
    """A malformed id in a mutation's input as the userError it is (INVALID_ID, its path)."""
    return DomainError("INVALID_ID", exc.reason, exc.field)


def decode(global_id: str, expected: str, field: str = "id") -> UUID:
    """A global id of the expected type, or InvalidId (a userError INVALID_ID in `respond`)."""
    return from_global_id(global_id, expected, field)[1]
