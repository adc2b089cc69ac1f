"""The neutral plan a compiled document hands the SQL builder: what to select, nothing of
GraphQL's machinery (schema/engine/compiler.py makes it; services/compiled/ answers it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID


@dataclass(frozen=True, slots=True)
class Pick:
    """One response key of an object: the field it reads (by its GraphQL name on the parent
    type), what it selects below, and what it adds to the operation's actual cost (`once`
    when present; `item` per element of a list), as schema/cost.py counts it."""

    key: str
    name: str
    children: tuple[Pick, ...] = ()
    once: int = 0
    item: int = 0


@dataclass(frozen=True, slots=True)
class CustomersPage:
    """What a `customers` page asks for, checked by the same rules as the resolver's."""

    size: int
    cursor: UUID | None
    backward: bool
    order: str  #: NAME, CODE or CREATED
    descending: bool
    text: str | None
    industry: str | None
    status: str | None
    as_of: date  #: the completeness grade's day (the request's today)


@dataclass(frozen=True, slots=True)
class DataPlan:
    """The whole `data` object: its root keys (one `customers` field and `__typename`s)."""

    root: tuple[Pick, ...]
