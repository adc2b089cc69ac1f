"""engine.hooks runs extension hooks exactly as strawberry's runner does: same order, same
exceptions in, same suppression and replacement, for every kind of hook."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from strawberry.extensions import SchemaExtension

from schema.engine.compat import StandardRunner
from schema.engine.hooks import LeanRunner


class Boom(Exception):
    """The stage's own error."""


class Other(Exception):
    """An error a hook raises instead."""


def _extensions(log: list[str], behaviour: dict[str, str]) -> list[SchemaExtension]:
    """One extension of each hook kind; `behaviour` says what each does with an error."""

    class Gen(SchemaExtension):
        def on_operation(self) -> Iterator[None]:
            log.append("gen enter")
            try:
                yield
            except Boom as exc:
                log.append(f"gen saw {exc!r}")
                if behaviour.get("gen") == "swallow":
                    return
                if behaviour.get("gen") == "replace":
                    raise Other("from gen") from None
                raise
            log.append("gen exit")

    class AsyncGen(SchemaExtension):
        async def on_operation(self) -> AsyncIterator[None]:  # type: ignore[override]
            log.append("agen enter")
            try:
                yield
            except (Boom, Other) as exc:
                log.append(f"agen saw {exc!r}")
                if behaviour.get("agen") == "swallow":
                    return
                raise
            log.append("agen exit")

    class Plain(SchemaExtension):
        def on_operation(self) -> None:  # type: ignore[override]
            log.append("plain")

    class Coroutine(SchemaExtension):
        async def on_operation(self) -> None:  # type: ignore[override]
            log.append("coroutine")

    class Quiet(SchemaExtension):
        """No hook at this stage: skipped."""

    return [AsyncGen(), Plain(), Gen(), Coroutine(), Quiet()]


async def _run(runner_class: type, behaviour: dict[str, str], fail: bool) -> tuple[Any, list[str]]:
    log: list[str] = []
    runner = runner_class(execution_context=None, extensions=_extensions(log, behaviour))
    outcome: Any = "ok"
    try:
        async with runner.operation():
            log.append("body")
            if fail:
                raise Boom("in body")
    except Exception as exc:
        outcome = (type(exc).__name__, str(exc), type(exc.__context__).__name__)
    return outcome, log


CASES = [
    ({}, False),
    ({}, True),
    ({"gen": "swallow"}, True),
    ({"gen": "replace"}, True),
    ({"gen": "replace", "agen": "swallow"}, True),
    ({"agen": "swallow"}, True),
]


@pytest.mark.parametrize(("behaviour", "fail"), CASES)
def test_a_stage_runs_as_strawberrys_runner_runs_it(behaviour: dict[str, str], fail: bool) -> None:
    """Order, the error each hook sees, what escapes and what it is chained to: alike."""
    standard = asyncio.run(_run(StandardRunner, behaviour, fail))
    lean = asyncio.run(_run(LeanRunner, behaviour, fail))
    assert lean == standard
    assert lean[1][:5] == ["agen enter", "plain", "gen enter", "coroutine", "body"]


def test_sync_stages_refuse_async_hooks_and_run_sync_ones() -> None:
    """Used synchronously, a stage runs generator and plain hooks and refuses async ones,
    as strawberry's does."""
    log: list[str] = []

    class Gen(SchemaExtension):
        def on_validate(self) -> Iterator[None]:
            log.append("enter")
            yield
            log.append("exit")

    with LeanRunner(execution_context=None, extensions=[Gen()]).validation():
        log.append("body")
    assert log == ["enter", "body", "exit"]
    runner = LeanRunner(execution_context=None, extensions=_extensions([], {}))
    with pytest.raises(RuntimeError, match="failed to complete synchronously"):
        with runner.operation():
            pass


def test_the_app_schema_runs_the_lean_runner_only_on_the_fast_path() -> None:
    """The switch that turns the engine off gives strawberry's runner back."""
    from infra.settings import Settings
    from schema.build import build_schema

    for fast, expected in ((True, LeanRunner), (False, StandardRunner)):
        schema = build_schema(Settings(graphql_fast_path=fast))
        runner = schema.create_extensions_runner(None, schema.get_extensions())  # type: ignore[attr-defined, arg-type]
        assert type(runner) is expected


@pytest.mark.parametrize("fast", [True, False])
def test_masking_holds_while_other_operations_run_beside_it(fast: bool) -> None:
    """An operation that fails after waiting is masked even when others start meanwhile:
    the app's extensions keep each operation's own context (an extension instance shared
    by every request, with its context overwritten by the next one, would not)."""
    import strawberry

    from infra.settings import Settings
    from schema.build import build_schema

    @strawberry.type
    class Query:
        @strawberry.field
        async def slow(self) -> int:
            await asyncio.sleep(0.05)
            raise RuntimeError("secret detail")

        @strawberry.field
        async def fast(self) -> int:
            await asyncio.sleep(0.01)
            return 1

    app_schema = build_schema(Settings(graphql_fast_path=fast))
    schema = type(app_schema)(
        query=Query, extensions=app_schema.extensions, execution_context_class=None
    )
    if fast:
        schema.lean_hooks = True  # type: ignore[attr-defined]

    async def run() -> list[Any]:
        slow = asyncio.ensure_future(schema.execute("{ slow }"))
        await asyncio.sleep(0.01)
        others = [asyncio.ensure_future(schema.execute("{ fast }")) for _ in range(3)]
        return [await slow, *await asyncio.gather(*others)]

    slow, *others = asyncio.run(run())
    assert [e.message for e in slow.errors] == ["Unexpected error"]
    assert all(o.data == {"fast": 1} and not o.errors for o in others)


def test_validation_runs_once_per_document_and_still_refuses(monkeypatch) -> None:
    """The same text validates once (the parser cache hands back the same document, the
    validation cache knows it by identity); a document with errors gives them every time."""
    from infra.settings import Settings
    from schema import validation_cache
    from schema.build import build_schema
    from tests.schema.counting import count_calls

    calls = count_calls(monkeypatch, validation_cache, "validate_document")
    schema = build_schema(Settings())
    for _ in range(3):
        assert asyncio.run(schema.execute("{ __typename }")).data == {"__typename": "Query"}
    assert len(calls) == 1
    for _ in range(2):
        result = asyncio.run(schema.execute("{ noSuchField }"))
        assert result.errors and "noSuchField" in result.errors[0].message
    assert len(calls) == 2
