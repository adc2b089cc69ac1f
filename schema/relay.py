"""Relay plumbing: opaque global ids, cursors and page info."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

import strawberry
from graphql import GraphQLError

from domain import texts
from domain.dates import check_date, check_moment
from domain.errors import DomainError
from services.paging import Seek

C = TypeVar("C")
E = TypeVar("E")
R = TypeVar("R")


@strawberry.interface(description="An object with a globally unique, opaque id.")
class Node:
    id: strawberry.ID = strawberry.field(description="Opaque global id; pass it to `node`.")


@strawberry.type(description="Where a page sits in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="More items follow this page. On a page asked with `last`, true when "
        "`before` was given (as Relay permits: the list is not re-read to know)."
    )
    has_previous_page: bool = strawberry.field(
        description="Items precede this page. On a page asked with `first`, true when `after` "
        "was given (as Relay permits: the list is not re-read to know)."
    )
    start_cursor: str | None = strawberry.field(
        description="Cursor of the first item, for `before`."
    )
    end_cursor: str | None = strawberry.field(description="Cursor of the last item, for `after`.")


@dataclass(frozen=True, slots=True)
class Window:
    """What a connection's paging arguments ask for: `size` items after `cursor` (forward,
    `first`/`after`) or before it (`backward`, `last`/`before`), in the list's order."""

    size: int
    cursor: str | None = None
    backward: bool = False


def window(
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    maximum: int,
    default: int = 20,
) -> Window:
    """The paging arguments checked: forward (`first`, `after`) or backward (`last`, `before`),
    never both; a size within 1..maximum. Either breach is a coded top-level error."""
    if last is None and before is None:
        return Window(page_size(first, maximum, default), after)
    if after is not None or first is not None:
        raise GraphQLError(
            "Page forward (`first`, `after`) or backward (`last`, `before`), not both",
            extensions={"code": "PAGE_ARGUMENTS_CONFLICT"},
        )
    return Window(page_size(last, maximum, default, "last"), before, backward=True)


def row_cursor(row_id: UUID) -> str:
    """A compact opaque cursor: the row's id alone (22 characters). The keyset query reads the
    row's sort key itself, in the same statement (dbschema/queries/keyset.py)."""
    return base64.urlsafe_b64encode(row_id.bytes).decode().rstrip("=")


#: The length of a row cursor (16 bytes in unpadded base64url).
ROW_CURSOR_CHARS = 22


def decode_row_cursor(cursor: str) -> UUID:
    """Inverse of row_cursor; anything else is BAD_USER_INPUT before it reaches SQL."""
    try:
        if len(cursor) != ROW_CURSOR_CHARS:
            raise _Malformed
        return UUID(bytes=base64.urlsafe_b64decode(cursor.encode() + b"=="))
    except (ValueError, TypeError):
        raise GraphQLError("Malformed cursor", extensions={"code": "BAD_USER_INPUT"}) from None


def cursor_id(asked: Window) -> UUID | None:
    """The row id a window's row cursor names, if it has one."""
    return None if asked.cursor is None else decode_row_cursor(asked.cursor)


def seek_of(asked: Window) -> Seek:
    """Where the services start the page a window asks for."""
    return Seek(cursor_id(asked), asked.backward)


def slice_of(items: Sequence[R], asked: Window, ident: Callable[[R], UUID]) -> tuple[list[R], bool]:
    """A window over a list held whole (a customer's few applications), in list order, and
    whether more lie beyond it in the direction read; an unknown cursor gives an empty page."""
    at = None
    if asked.cursor is not None:
        target = decode_row_cursor(asked.cursor)
        at = next((n for n, item in enumerate(items) if ident(item) == target), None)
        if at is None:
            return [], False
    if asked.backward:
        end = len(items) if at is None else at
        start = max(0, end - asked.size)
        return list(items[start:end]), start > 0
    start = 0 if at is None else at + 1
    return list(items[start : start + asked.size]), start + asked.size < len(items)


def check_cursor(cursor: str) -> None:
    """Refuse (BAD_USER_INPUT) a cursor that no list of this API hands out."""
    if len(cursor) == ROW_CURSOR_CHARS:
        decode_row_cursor(cursor)
    else:
        decode_cursor(cursor)


def to_global_id(type_name: str, raw: UUID) -> strawberry.ID:
    """Opaque id: base64 of `Type:uuid`."""
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:{raw}".encode()).decode())


class InvalidId(GraphQLError):
    """An id that is not one this API hands out, or of another type: the client's mistake,
    INVALID_ID (a mutation reports it in userErrors, a query as a coded error), never a
    NOT_FOUND, which means a well-formed id of no object in your tenant."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}", extensions={"code": "INVALID_ID", "field": field})
        self.field = field
        self.reason = reason


def from_global_id(
    global_id: str, expected: str | None = None, field: str = "id"
) -> tuple[str, UUID]:
    """Decode a global id; a malformed or wrong-typed one is InvalidId."""
    try:
        decoded = base64.urlsafe_b64decode(global_id.encode() + b"==").decode()
        type_name, raw = decoded.split(":", 1)
        value = UUID(raw)
    except (ValueError, UnicodeDecodeError):
        raise InvalidId(field, "not an id this API hands out") from None
    if expected is not None and type_name != expected:
        raise InvalidId(field, f"not a {expected} id")
    return type_name, value


def encode_cursor(value: Any, row_id: UUID) -> str:
    """Keyset cursor: the sort value and the id of the last row."""
    if isinstance(value, datetime | date):
        value = {"t": value.isoformat(), "dt": isinstance(value, datetime)}
    return base64.urlsafe_b64encode(json.dumps([value, str(row_id)]).encode()).decode()


#: A keyset cursor's whole numbers (sums of minor units, which NUMERIC holds beyond a BIGINT)
#: are refused beyond this: no ledger total comes near it, and no SQL type overflows on it.
CURSOR_INT_MAX = 10**30
#: `expect` for the cursors of ranked lists: [amount, key, currency].
RANKED = "ranked"


class _Malformed(ValueError):
    """A cursor that is not one this API hands out."""


def _moment(value: dict[str, Any]) -> date:
    """A date or an aware datetime from a cursor, within the platform's range."""
    if set(value) != {"t", "dt"} or not isinstance(value["t"], str):
        raise _Malformed
    if value["dt"] is True:
        moment = datetime.fromisoformat(value["t"])
        if moment.tzinfo is None:
            raise _Malformed
        check_moment(moment, "after")
        return moment
    if value["dt"] is not False:
        raise _Malformed
    day = date.fromisoformat(value["t"])
    check_date(day, "after")
    return day


def _scalar(value: Any) -> Any:
    """A cursor's sort value: text, a bounded whole number, null, or a date/datetime."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) <= CURSOR_INT_MAX:
        return value
    if isinstance(value, dict):
        return _moment(value)
    raise _Malformed


def _sort_value(value: Any, expect: type | str | None) -> Any:
    """The sort value checked against what the list sorts by (`expect`)."""
    if isinstance(value, list):
        if len(value) != 3 or expect not in (None, RANKED):
            raise _Malformed
        amount, key, currency = (_scalar(v) for v in value)
        if not isinstance(amount, int) or not isinstance(key, str):
            raise _Malformed
        if not isinstance(currency, str):
            raise _Malformed
        return [amount, key, currency]
    scalar = _scalar(value)
    if expect is None:
        return scalar
    if expect is datetime and not isinstance(scalar, datetime):
        raise _Malformed
    if expect is date and (not isinstance(scalar, date) or isinstance(scalar, datetime)):
        raise _Malformed
    if expect is str and not isinstance(scalar, str):
        raise _Malformed
    if expect == RANKED:
        raise _Malformed
    return scalar


def decode_cursor(cursor: str, expect: type | str | None = None) -> tuple[Any, UUID]:
    """Inverse of encode_cursor, checked before it reaches SQL: the sort value must be what
    the list sorts by (`expect`: date, datetime, str or RANKED; None accepts any value this
    API encodes), whole numbers bounded, dates in range. Anything else is BAD_USER_INPUT."""
    try:
        if len(cursor) > texts.CURSOR.max_chars:
            raise _Malformed
        decoded = json.loads(base64.urlsafe_b64decode(cursor.encode() + b"=="))
        if not isinstance(decoded, list) or len(decoded) != 2 or not isinstance(decoded[1], str):
            raise _Malformed
        return _sort_value(decoded[0], expect), UUID(decoded[1])
    except (ValueError, TypeError, KeyError, DomainError, RecursionError):
        raise GraphQLError("Malformed cursor", extensions={"code": "BAD_USER_INPUT"}) from None


def ranked_cursor(cursor: str | None) -> tuple[int, str, str] | None:
    """The (amount, key, currency) of a ranked list's cursor (aging, provision lines), checked;
    None without a cursor."""
    if cursor is None:
        return None
    value, _ = decode_cursor(cursor, RANKED)
    return int(value[0]), str(value[1]), str(value[2])


def page_size(first: int | None, maximum: int, default: int = 20, name: str = "first") -> int:
    """Validate `first` (or `last`): 1..maximum, or a coded error."""
    size = default if first is None else first
    if size < 1 or size > maximum:
        raise GraphQLError(
            f"`{name}` must be between 1 and {maximum}", extensions={"code": "PAGE_SIZE_EXCEEDED"}
        )
    return size


def edges_of(
    edge: Callable[..., E], items: Sequence[R], node: Callable[[R], Any], cursor: Callable[[R], str]
) -> list[E]:
    """Edges for a page of items: each item's node and its cursor."""
    return [edge(cursor=cursor(item), node=node(item)) for item in items]


def page_info(edges: Sequence[Any], more: bool, asked: Window | None = None) -> PageInfo:
    """Paging state of a page of edges in list order; `more`: items lie beyond it in the
    direction it was read. The other direction is answered from the arguments alone."""
    asked = asked or Window(0)
    forward = not asked.backward
    return PageInfo(
        has_next_page=more if forward else asked.cursor is not None,
        has_previous_page=asked.cursor is not None if forward else more,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )


def connection(
    conn: Callable[..., C],
    edges: Sequence[Any],
    has_next: bool,
    total: int | None = None,
    asked: Window | None = None,
) -> C:
    """A connection over a page of edges in list order; `has_next`: more items lie beyond it
    in the direction it was read (`asked`, forward when not given); `total` only where the
    type counts (cheaply)."""
    info = page_info(edges, has_next, asked)
    if total is None:
        return conn(edges=list(edges), page_info=info)
    return conn(edges=list(edges), page_info=info, total_count=total)
