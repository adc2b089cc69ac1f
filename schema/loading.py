"""Values loaded through the request's DataLoaders only when a query awaits them."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from schema.context import Context

#: The running request's context, for values that load only when a query awaits them.
current_context: ContextVar[Context] = ContextVar("current_context")


class Deferred:
    """A field value loaded through the request's DataLoader only if the query selects it.

    Plain attributes resolve much faster than resolver methods; a page prefetches the
    values and replaces these placeholders, a single object (node, customer) awaits them.
    """

    __slots__ = ("convert", "factory", "key", "name")

    def __init__(self, name: str, factory: Any, key: Any, convert: Any) -> None:
        self.name, self.factory, self.key, self.convert = name, factory, key, convert

    def __await__(self) -> Any:
        return self._load().__await__()

    async def _load(self) -> Any:
        loader = current_context.get().loader(self.name, self.factory)
        return self.convert(await loader.load(self.key))
