"""The one mutation shape: run the work in a unit of work, build the payload from its result.

A domain refusal rolls back and becomes the payload's userErrors, so nothing is written. A
request the input rules refused, or whose work met a malformed id, is run again in refusal
mode (never committed) to hear every other refusal too: a form shows every fault at once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import field as default
from typing import Any, TypeVar
from uuid import UUID, uuid4

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


@dataclass(slots=True)
class _Ids:
    """What `decode` met while a work runs in refusal mode: the malformed ids, as refusals,
    and the fields whose ids were well-formed (they name objects the work then judged)."""

    malformed: list[DomainError] = default(default_factory=list)
    named: set[str] = default(default_factory=set)


#: Set only by `_refuse`, whose unit of work is never committed (None outside it, where a
#: malformed id raises InvalidId).
_IDS: ContextVar[_Ids | None] = ContextVar("refusal_mode_ids", default=None)


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
    catalogue: ErrorCatalogue = payload.catalogue  # type: ignore[attr-defined]
    make: Callable[..., P] = payload  # a payload type takes its fields as keywords
    refused = refusals()
    if refused or _refusing():
        return make(user_errors=catalogue.user_errors(await _refuse(info, work, refused)))
    try:
        async with info.context.uow(opening) as uow:
            result = await work(uow)
            await uow.commit()
    except (DomainError, ValidationFailed) as exc:
        return make(user_errors=catalogue.user_errors(exc))
    except InvalidId as exc:
        return make(user_errors=catalogue.user_errors(await _refuse(info, work, (), exc)))
    fields = await show(result) if show is not None else {}
    return make(user_errors=[], **fields)


def _refusing() -> bool:
    """Whether a work is running in refusal mode now (a nested mutation must not commit)."""
    return _IDS.get() is not None


async def _refuse(
    info: Info[Context, Any],
    work: Callable[[UnitOfWork], Awaitable[Any]],
    refused: Sequence[DomainError],
    met: InvalidId | None = None,
) -> ValidationFailed:
    """Run the work only to hear its own refusals too, in a unit of work that is never
    committed, `decode` noting a malformed id and going on; report them all: the input
    rules' first, then the malformed ids (`met`: the one the ordinary run met), then the
    work's, less what may follow from a malformed id (see `_follows`)."""
    ids = _Ids()
    heard: list[DomainError] = []
    token = _IDS.set(ids)
    try:
        async with info.context.uow() as uow:
            await work(uow)  # never committed: leaving the block rolls it back
    except ValidationFailed as exc:
        heard = exc.errors
    except DomainError as exc:
        heard = [exc]
    except InvalidId as exc:  # an id the work read without `decode`
        heard = [refusal_of(exc)]
    except Exception:
        log.info("refused input failed its work too", exc_info=True)
    finally:
        _IDS.reset(token)
    malformed = _merge(ids.malformed, [refusal_of(met)] if met is not None else [])
    if malformed:
        heard = [e for e in heard if not _follows(e, ids)]
    return ValidationFailed(_merge(_merge(list(refused), malformed), heard))


def _follows(error: DomainError, ids: _Ids) -> bool:
    """Whether a refusal of the work may follow from a malformed id, which stood in as an id
    of nothing: any NOT_FOUND (a service may name the missing object under another field,
    or find a named record "not this customer's"), and any refusal of a field holding an id
    (a named invoice is "another customer's"). These wait until the id is fixed, as they did
    before; the refusals of the input's own values are reported at once."""
    if error.code == "INVALID_ID":
        return False
    return error.code == "NOT_FOUND" or error.field in ids.named


def _merge(found: list[DomainError], more: Sequence[DomainError]) -> list[DomainError]:
    """`found`, then what `more` adds: no refusal twice (field and code), and none on a field
    already refused as INVALID_ID (it follows from the bad id)."""
    seen = {(e.field, e.code) for e in found}
    invalid = {e.field for e in found if e.code == "INVALID_ID"}
    out = list(found)
    for e in more:
        if (e.field, e.code) in seen or (e.code != "INVALID_ID" and e.field in invalid):
            continue
        seen.add((e.field, e.code))
        if e.code == "INVALID_ID":
            invalid.add(e.field)
        out.append(e)
    return out


async def run(
    info: Info[Context, Any], catalogue: ErrorCatalogue, fn: Callable[[UnitOfWork], Awaitable[T]]
) -> tuple[T | None, list[Any]]:
    """Commit on success; roll back and report on a domain refusal (the older shape)."""
    refused = refusals()
    if refused or _refusing():
        return None, catalogue.user_errors(await _refuse(info, fn, refused))
    try:
        async with info.context.uow() as uow:
            result = await fn(uow)
            await uow.commit()
        return result, []
    except (DomainError, ValidationFailed) as exc:
        return None, catalogue.user_errors(exc)
    except InvalidId as exc:
        return None, catalogue.user_errors(await _refuse(info, fn, (), exc))


def refusal_of(exc: InvalidId) -> DomainError:
    """A malformed id in a mutation's input as the userError it is (INVALID_ID, its path)."""
    return DomainError("INVALID_ID", exc.reason, exc.field)


def decode(global_id: str, expected: str, field: str = "id") -> UUID:
    """A global id of the expected type, or InvalidId (a userError INVALID_ID in `respond`);
    in refusal mode a malformed one is noted and stands in as an id of nothing, so the work
    goes on to its other refusals."""
    ids = _IDS.get()
    try:
        raw = from_global_id(global_id, expected, field)[1]
    except InvalidId as exc:
        if ids is None:
            raise
        ids.malformed.append(refusal_of(exc))
        return uuid4()  # random: no row has it, and no two stand-ins are equal
    if ids is not None:
        ids.named.add(field)
    return raw
