"""Extensions configured once, instantiated per operation.

strawberry sets `execution_context` on each extension instance it runs. An instance placed in
the schema's extension list is shared by every request, so a hook that reads its context after
an await reads whichever operation started last: an operation failing beside others had its
error's internal message sent unmasked (tests/schema/test_extension_hooks.py). `per_request`
turns a configured instance into a factory of copies that share its configuration.
"""

from __future__ import annotations

from collections.abc import Callable

from strawberry.extensions import SchemaExtension


def per_request(prototype: SchemaExtension) -> Callable[[], SchemaExtension]:
    """A factory of shallow copies of `prototype` (its rules and caches shared, its
    execution context its own)."""
    cls = type(prototype)
    state = dict(vars(prototype))

    def make() -> SchemaExtension:
        extension = cls.__new__(cls)
        vars(extension).update(state)
        return extension

    make.__name__ = f"per_request({cls.__name__})"
    return make
