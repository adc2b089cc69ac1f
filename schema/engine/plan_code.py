"""Plans turned into Python functions, once per distinct plan, reused by every request.

Walking a plan's tuples costs a loop, an unpacking and a branch per field; a generated
function reads each attribute (or derives a lazy view's field) straight into a local and
returns one dict literal. The source is generated from the plan alone: response keys
and attribute names enter it only as `repr` literals, every object (types, coercions) by a
name bound in the function's namespace, so nothing of a request's text is ever executed.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from schema.engine.compat import origin_of, type_check
from schema.engine.lazy import FromRow
from schema.engine.plans import (
    LEAF,
    MISSING,
    OBJECT,
    TYPENAME,
    Abandon,
    Plan,
    check_object,
    complete_leaf,
)

#: A completed object from its source value and graphql-core's awaitable test.
Completer = Callable[[Any, Callable[[Any], bool]], dict[str, Any]]

_COMPILED: dict[tuple[Plan, type | None], Completer] = {}
_LIMIT = 1024  #: distinct plans kept; a server sees a few dozen query shapes


def completer(plan: Plan, origin: type | None = None) -> Completer:
    """The generated function for `plan` (plans are tuples: equal plans share one); `origin`
    is the class strawberry made the object type from, when known."""
    found = _COMPILED.get((plan, origin))
    if found is None:
        if len(_COMPILED) >= _LIMIT:
            _COMPILED.clear()
        found = _COMPILED[plan, origin] = _Generator().function(plan, origin)
    return found


def _guarded(lines: list[str]) -> str:
    """A function whose failures (a deriver's KeyError, a scalar's error) become Abandon, so
    the standard path reports them on the field where they happen."""
    head, body = lines[0], lines[1:]
    return "\n".join(
        [
            head,
            "    try:",
            *("    " + line for line in body),
            "    except Abandon:",
            "        raise",
            "    except Exception as exc:",
            "        raise Abandon from exc",
        ]
    )


class _Generator:
    """Emits one function per (sub-)plan and one per list item kind into a namespace."""

    def __init__(self) -> None:
        self.names = itertools.count()
        self.namespace: dict[str, Any] = {
            "MISSING": MISSING,
            "Abandon": Abandon,
            "complete_leaf": complete_leaf,
            "check_object": check_object,
            "_list": list,
            "_tuple": tuple,
        }
        self.chunks: list[str] = []

    def function(self, plan: Plan, origin: type | None = None) -> Completer:
        root = self._emit_plan(plan, origin)
        exec(compile("\n\n".join(self.chunks), "<completion plan>", "exec"), self.namespace)
        return self.namespace[root]  # type: ignore[no-any-return]

    def _bind(self, value: Any) -> str:
        name = f"_b{next(self.names)}"
        self.namespace[name] = value
        return name

    def _emit_plan(self, plan: Plan, origin: type | None = None) -> str:
        name = f"_plan{next(self.names)}"
        lines = [f"def {name}(source, aw):"]
        lazy = origin is not None and issubclass(origin, FromRow)
        if lazy:
            # a lazy view's fields are derived here, not through its __getattr__ (a Python
            # call per field); anything else reads attributes as strawberry would
            lines += [
                f"    if source.__class__ is {self._bind(origin)}:",
                "        d = source.__dict__",
                "        row = d.get('row')",
                "    else:",
                "        d = row = None",
            ]
        keys: list[tuple[str, str]] = []
        for index, (key, kind, attr, how, inner, non_null, item_non_null) in enumerate(plan):
            v = f"v{index}"
            keys.append((key, v))
            if kind == TYPENAME:
                lines.append(f"    {v} = {self._bind(how)}")
                continue
            derive = origin.DERIVE.get(attr) if lazy else None  # type: ignore[union-attr]
            if derive is not None and not hasattr(origin, attr):
                lines += [
                    "    if row is not None:",
                    f"        {v} = d.get({attr!r}, MISSING)",
                    f"        if {v} is MISSING:",
                    f"            {v} = d[{attr!r}] = {self._bind(derive)}(row)",
                    "    else:",
                    f"        {v} = getattr(source, {attr!r}, MISSING)",
                ]
            else:
                lines.append(f"    {v} = getattr(source, {attr!r}, MISSING)")
            if_null = "raise Abandon" if non_null else "pass"
            if kind == LEAF:
                body = [
                    f"if {v} is None:",
                    f"    {if_null}",
                    f"elif {v} is MISSING:",
                    "    raise Abandon",
                    "else:",
                    f"    {v} = complete_leaf({self._bind(how)}, {v}, aw)",
                ]
                if inner is not None:  # a class whose values are their own response value
                    lines.append(f"    if {v}.__class__ is not {self._bind(inner)}:")
                    lines.extend("        " + line for line in body)
                else:
                    lines.extend("    " + line for line in body)
            elif kind == OBJECT:
                sub = self._emit_plan(inner, origin_of(how))
                lines += [
                    f"    if {v} is None:",
                    f"        {if_null}",
                    f"    elif {v} is MISSING:",
                    "        raise Abandon",
                    "    else:",
                    f"        check_object({self._bind(type_check(how))}, {v}, aw)",
                    f"        {v} = {sub}({v}, aw)",
                ]
            else:
                item = self._emit_item(how, item_non_null)
                lines += [
                    f"    if {v} is None:",
                    f"        {if_null}",
                    f"    elif {v}.__class__ is not _list and {v}.__class__ is not _tuple:",
                    "        raise Abandon  # generators, async iterables: the standard path",
                    "    else:",
                    f"        {v} = [{item}(x, aw) for x in {v}]",
                ]
        pairs = ", ".join(f"{key!r}: {v}" for key, v in keys)
        lines.append(f"    return {{{pairs}}}")
        self.chunks.append(_guarded(lines))
        return name

    def _emit_item(self, how: tuple[int, Any, Any], non_null: bool) -> str:
        kind, item_how, item_inner = how
        name = f"_item{next(self.names)}"
        lines = [
            f"def {name}(x, aw):",
            "    if x is None:",
            "        raise Abandon" if non_null else "        return None",
        ]
        if kind == LEAF:
            lines.append(f"    return complete_leaf({self._bind(item_how)}, x, aw)")
        elif kind == OBJECT:
            sub = self._emit_plan(item_inner, origin_of(item_how))
            lines.append(f"    check_object({self._bind(type_check(item_how))}, x, aw)")
            lines.append(f"    return {sub}(x, aw)")
        else:  # pragma: no cover - compile_plan makes no other item kinds
            raise ValueError(f"unexpected list item kind {kind}")
        self.chunks.append("\n".join(lines))
        return name
