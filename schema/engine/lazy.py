"""Objects whose fields are derived from their stored row on first read, not all up front.

A page builds 50 customers of ~25 fields, but a query selects a handful: global ids, money,
contacts and dossier placeholders for fields nobody asked for were most of the building.
A lazy object holds its row; reading a field derives it once (then it is an ordinary
attribute), so plain-attribute completion (schema.engine.plans) and strawberry's default resolver
see no difference. Objects built with their class's own constructor are eager as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

T = TypeVar("T", bound="FromRow")

#: How one field is derived from the row (a mapping, or a domain object for a view of one).
Deriver = Callable[[Any], Any]


class FromRow:
    """Mixin: `lazy(row)` builds the object; each class lists its derivers in DERIVE."""

    DERIVE: ClassVar[Mapping[str, Deriver]] = {}

    @classmethod
    def lazy(cls: type[T], row: Any) -> T:
        """An instance over `row` whose fields are derived when first read."""
        obj = object.__new__(cls)
        obj.__dict__["row"] = row
        return obj

    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup fails: for a lazy object's not-yet-derived fields,
        # and for the probes strawberry and graphql-core make (__await__, type casts).
        derive = type(self).DERIVE.get(name)
        row = self.__dict__.get("row")
        if derive is None or row is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        value = self.__dict__[name] = derive(row)
        return value
