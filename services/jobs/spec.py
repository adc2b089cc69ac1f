"""What a job specification is: a name, typed arguments, a queue and a retry policy.

A spec is the contract between whoever asks for a job (a mutation, a service, the scheduler)
and the worker that runs it. Its arguments travel as JSON in the jobs table; this module is
the one place that turns them into JSON and back.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, TypeVar, get_type_hints
from uuid import UUID

A = TypeVar("A")

DEFAULT_QUEUE = "credit"  #: one queue: every worker imports every actor (unknown ones dead-letter)

#: Argument field types a job may take, and how each is read back from its stored JSON.
_DECODERS: dict[type, Any] = {
    str: str,
    int: int,
    bool: bool,
    date: date.fromisoformat,
    UUID: UUID,
}


def stored_key(field: str) -> str:
    """The JSON key of an argument field: camelCase, as job rows have always been stored."""
    head, *rest = field.split("_")
    return head + "".join(part.title() for part in rest)


_CAMEL_HUMP = re.compile(r"(?<!^)(?=[A-Z])")


def field_name(key: str) -> str:
    """The field a stored JSON key names (both `asOf` and `as_of` read as `as_of`)."""
    return _CAMEL_HUMP.sub("_", key).lower()


@dataclasses.dataclass(frozen=True)
class Retry:
    """How the broker retries a failed attempt and how long one attempt may run."""

    max_retries: int
    min_backoff: timedelta
    max_backoff: timedelta
    time_limit: timedelta

    def actor_options(self) -> dict[str, Any]:
        """The same policy as Dramatiq actor options (milliseconds)."""
        ms = timedelta(milliseconds=1)
        return {
            "max_retries": self.max_retries,
            "min_backoff": self.min_backoff // ms,
            "max_backoff": self.max_backoff // ms,
            "time_limit": self.time_limit // ms,
        }


@dataclasses.dataclass(frozen=True)
class JobSpec(Generic[A]):
    """One job, declared once: used by the actor, the schedule and whoever requests it."""

    name: str
    args: type[A]
    retry: Retry
    queue: str = DEFAULT_QUEUE

    def __post_init__(self) -> None:
        if not dataclasses.is_dataclass(self.args):
            raise TypeError(f"{self.name}: arguments must be a dataclass, not {self.args!r}")
        for field, hint in _field_types(self.args).items():
            if hint not in _DECODERS:
                raise TypeError(f"{self.name}: argument {field} has unsupported type {hint!r}")

    def encode(self, args: A) -> dict[str, Any]:
        """Arguments as stored: camelCase keys, ISO dates, UUIDs as text."""
        if not isinstance(args, self.args):
            raise TypeError(f"{self.name} takes {self.args.__name__}, not {type(args).__name__}")
        return {stored_key(f): to_json(getattr(args, f)) for f in _field_types(self.args)}

    def decode(self, stored: Mapping[str, Any]) -> A:
        """Arguments from a stored row, whichever key style it was written in."""
        fields = _field_types(self.args)
        values: dict[str, Any] = {}
        for key, raw in stored.items():
            name = field_name(key)
            if name not in fields:
                raise ValueError(f"{self.name}: unknown argument {key!r}")
            values[name] = _DECODERS[fields[name]](raw)
        return self.args(**values)


def _field_types(cls: Any) -> dict[str, type]:
    """An argument dataclass's fields and their (resolved) types, in declaration order."""
    hints = get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def to_json(value: Any) -> Any:
    """A job's arguments or result as JSON: dataclass fields under camelCase keys."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            stored_key(f.name): to_json(getattr(value, f.name)) for f in dataclasses.fields(value)
        }
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, Enum):
        return to_json(value.value)
    return value
