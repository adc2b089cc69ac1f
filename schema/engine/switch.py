"""The engine's switch: the executor a schema runs with, and the refusals that keep it honest.

`GRAPHQL_FAST_PATH=off` (settings.graphql_fast_path) gives strawberry's standard executor
alone. On, the engine refuses to start where it could not keep its promise of answers
identical to the standard path's: resolver middleware that plans would skip, or libraries
other than the ones its compatibility module was tested against.
"""

from __future__ import annotations

from typing import Any

from strawberry.extensions import SchemaExtension

from schema.engine.compat import TESTED_WITH, HookedExecutor, installed_versions
from schema.engine.execution import LeanExecutionContext

#: What to do instead, in every refusal's message.
_ADVICE = "set GRAPHQL_FAST_PATH=off to run on graphql-core's standard path"


class FastPathRefused(RuntimeError):
    """The fast path is on but cannot give the standard path's answers with this schema."""


def executor_class(enabled: bool) -> type[HookedExecutor] | None:
    """The execution context class for strawberry: the engine's, or None (the standard)."""
    if not enabled:
        return None
    found = installed_versions()
    if found != TESTED_WITH:
        raise FastPathRefused(
            f"the graphql fast path was tested with {TESTED_WITH}, found {found}: re-check "
            f"schema/engine/compat.py against them, or {_ADVICE}"
        )
    return LeanExecutionContext


def resolving_extensions(schema: Any) -> list[str]:
    """The schema's extensions that wrap every resolver (implement `resolve`)."""
    return [
        type(ext).__name__
        for ext in schema.get_extensions()
        if type(ext).resolve is not SchemaExtension.resolve
    ]


def refuse_skipped_extensions(schema: Any) -> None:
    """Refuse a fast-path schema whose extensions implement `resolve`: a plan calls no
    resolver, so it would skip them where the standard path runs them."""
    executor = getattr(schema, "execution_context_class", None)
    if not (isinstance(executor, type) and issubclass(executor, HookedExecutor)):
        return
    resolving = resolving_extensions(schema)
    if resolving:
        raise FastPathRefused(
            f"extensions {', '.join(resolving)} implement `resolve`, which the graphql fast "
            f"path's plans would skip: drop their `resolve`, or {_ADVICE}"
        )
