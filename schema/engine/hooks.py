"""Extension hooks run as strawberry runs them, without building their machinery per request.

strawberry wraps every extension's hook in a fresh `contextlib` manager on every request and
enters them through an exit stack: 4 stages x 11 extensions, about a third of the CPU of a
`{ __typename }` request (issue 13's profile). What a hook is (a generator, an async
generator, a function or a coroutine function) depends only on its extension's class, so it
is read once per class; a stage then drives the hooks' generators directly, with
`contextlib`'s semantics: entered in order, left in reverse order, an exception thrown into
each, one that a hook swallows is hidden from the hooks outside it (but still escapes the
stage, as it does from strawberry's), and one a hook raises instead replaces it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from types import TracebackType
from typing import Any

from strawberry.extensions import SchemaExtension

from schema.engine.compat import StandardRunner

#: how a hook runs
_GENERATOR, _ASYNC_GENERATOR, _FUNCTION, _COROUTINE = range(4)
_Error = BaseException | None
#: an extension instance, how its hook runs, the hook
_Hook = tuple[SchemaExtension, int, Callable[..., Any]]
#: (extension class, stage) -> (kind, hook function), or None where the class has no hook
_KINDS: dict[tuple[type, str], tuple[int, Callable[..., Any]] | None] = {}


def _kind(cls: type, stage: str) -> tuple[int, Callable[..., Any]] | None:
    """The hook a class runs at a stage, read once (strawberry's `get_hook` rules)."""
    key = (cls, stage)
    if key in _KINDS:
        return _KINDS[key]
    hook = getattr(cls, stage)
    found: tuple[int, Callable[..., Any]] | None = None
    if hook is not getattr(SchemaExtension, stage):
        if inspect.isgeneratorfunction(hook):
            found = (_GENERATOR, hook)
        elif inspect.isasyncgenfunction(hook):
            found = (_ASYNC_GENERATOR, hook)
        elif inspect.iscoroutinefunction(hook):
            found = (_COROUTINE, hook)
        elif callable(hook):
            found = (_FUNCTION, hook)
        else:
            raise ValueError(f"Hook {stage} on {cls} must be callable, received {hook!r}")
    _KINDS[key] = found
    return found


def _leave(generator: Any, error: BaseException | None) -> bool:
    """Resume a generator hook after its stage; True when it swallowed `error`."""
    if error is None:
        try:
            next(generator)
        except StopIteration:
            return False
        raise RuntimeError("generator didn't stop")
    try:
        generator.throw(error)
    except StopIteration:
        return True
    except BaseException as raised:
        if raised is error:
            return False
        raise
    raise RuntimeError("generator didn't stop after throw()")


async def _aleave(generator: Any, error: BaseException | None) -> bool:
    """`_leave` for an async generator hook."""
    if error is None:
        try:
            await generator.__anext__()
        except StopAsyncIteration:
            return False
        raise RuntimeError("generator didn't stop")
    try:
        await generator.athrow(error)
    except StopAsyncIteration:
        return True
    except BaseException as raised:
        if raised is error:
            return False
        raise
    raise RuntimeError("generator didn't stop after athrow()")


class Stage:
    """One stage's hooks as a context manager (sync or async, as strawberry uses it)."""

    __slots__ = ("_entered", "_hooks", "_stage")

    def __init__(self, hooks: list[_Hook], stage: str) -> None:
        self._hooks = hooks
        self._stage = stage
        self._entered: list[tuple[bool, Any]] = []

    def __enter__(self) -> None:
        for extension, kind, hook in self._hooks:
            if kind in (_ASYNC_GENERATOR, _COROUTINE):
                raise RuntimeError(
                    f"SchemaExtension hook {extension}.{self._stage} "
                    "failed to complete synchronously."
                )
            if kind == _GENERATOR:
                generator = hook(extension)
                next(generator)
                self._entered.append((False, generator))
            else:
                hook(extension)

    async def __aenter__(self) -> None:
        for extension, kind, hook in self._hooks:
            if kind == _GENERATOR:
                generator = hook(extension)
                next(generator)
                self._entered.append((False, generator))
            elif kind == _ASYNC_GENERATOR:
                agen = hook(extension)
                await agen.__anext__()
                self._entered.append((True, agen))
            elif kind == _COROUTINE:
                await hook(extension)
            else:
                hook(extension)

    def __exit__(
        self, kind: type[BaseException] | None, error: _Error, tb: TracebackType | None
    ) -> bool:
        pending = error
        for is_async, generator in reversed(self._entered):
            if is_async:
                raise RuntimeError(f"{self._stage} hook cannot leave synchronously")
            try:
                if _leave(generator, pending):
                    pending = None
            except BaseException as raised:
                _chain(raised, pending)
                pending = raised
        return self._settle(error, pending)

    async def __aexit__(
        self, kind: type[BaseException] | None, error: _Error, tb: TracebackType | None
    ) -> bool:
        pending = error
        for is_async, generator in reversed(self._entered):
            try:
                left = await _aleave(generator, pending) if is_async else _leave(generator, pending)
                if left:
                    pending = None
            except BaseException as raised:
                _chain(raised, pending)
                pending = raised
        return self._settle(error, pending)

    @staticmethod
    def _settle(error: _Error, pending: _Error) -> bool:
        """Raise what a hook raised instead. A swallowed error is hidden from the hooks
        outside the one that swallowed it but still escapes the stage: strawberry's stages
        never suppress (their `__aexit__` drops the exit stack's answer)."""
        if pending is not None and pending is not error:
            raise pending
        return False


def _chain(raised: BaseException, previous: BaseException | None) -> None:
    """An exception raised while leaving with another carries it as its context."""
    if previous is not None and raised is not previous and raised.__context__ is None:
        raised.__context__ = previous


#: per tuple of extension classes: per stage, (position, kind, hook) of those with a hook
_PLANS: dict[tuple[type, ...], dict[str, list[tuple[int, int, Callable[..., Any]]]]] = {}


def _plan(classes: tuple[type, ...]) -> dict[str, list[tuple[int, int, Callable[..., Any]]]]:
    """Which extensions (by position) run a hook at each stage, read once per class list."""
    plan = _PLANS.get(classes)
    if plan is None:
        plan = {}
        for stage in ("on_operation", "on_validate", "on_parse", "on_execute"):
            plan[stage] = [
                (n, *found)
                for n, cls in enumerate(classes)
                if (found := _kind(cls, stage)) is not None
            ]
        _PLANS[classes] = plan
    return plan


class LeanRunner(StandardRunner):
    """strawberry's extensions runner, with each stage a `Stage` (the stream hook is
    strawberry's own)."""

    async def get_extensions_results(self, ctx: Any) -> dict[str, Any]:
        """strawberry's, asking only the extensions that override `get_results` (the base
        class answers {} for the rest)."""
        data: dict[str, Any] = {}
        for extension in self.extensions:
            if type(extension).get_results is not SchemaExtension.get_results:
                results = extension.get_results()
                data.update(await results if inspect.isawaitable(results) else results)
        data.update(ctx.extensions_results)
        return data

    def _stage(self, stage: str) -> Stage:
        extensions = self.extensions
        plans = self.__dict__.get("_plans")
        if plans is None:  # once per operation, not once per stage
            plans = self.__dict__["_plans"] = _plan(tuple(map(type, extensions)))
        return Stage([(extensions[n], kind, hook) for n, kind, hook in plans[stage]], stage)

    def operation(self) -> Stage:  # type: ignore[override]
        return self._stage("on_operation")

    def validation(self) -> Stage:  # type: ignore[override]
        return self._stage("on_validate")

    def parsing(self) -> Stage:  # type: ignore[override]
        return self._stage("on_parse")

    def executing(self) -> Stage:  # type: ignore[override]
        return self._stage("on_execute")
