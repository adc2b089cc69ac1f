"""Values worked out once per live object, kept by its identity rather than a hash.

The parser cache hands back the same document object for the same text, and the runtime the
same settings document for a tenant until it re-reads it, so what is derived from one (a cost
plan, an analysis, a compiled operation, parsed limits) is found again by `id` with no hashing
per request. Each entry holds its object, so the id cannot be reused while the entry lives.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class IdentityMemo(Generic[V]):
    """At most `limit` values, by (object, extra key); emptied when full (a client sending
    ever new documents costs recomputation, never memory)."""

    def __init__(self, limit: int = 1024) -> None:
        self._entries: dict[tuple[int, Hashable], tuple[object, V]] = {}
        self._limit = limit

    def get(self, obj: object, compute: Callable[[], V], extra: Hashable = None) -> V:
        """The value for `obj` (and `extra`), computed on first use."""
        key = (id(obj), extra)
        hit = self._entries.get(key)
        if hit is not None and hit[0] is obj:
            return hit[1]
        value = compute()
        if len(self._entries) >= self._limit:
            self._entries.clear()
        self._entries[key] = (obj, value)
        return value
