"""Page sizes and cursors are checked before execution, so a bad one is a request error.

graphql-core's validation rules cannot see variable values; this extension runs right after
(cached) validation, with the variables, and refuses the whole operation before any resolver.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
from graphql import (
    ArgumentNode,
    FieldNode,
    GraphQLError,
    IntValueNode,
    StringValueNode,
    VariableNode,
    visit,
)
from graphql.language import Visitor
from strawberry.extensions import SchemaExtension

from schema.identity_memo import IdentityMemo
from schema.relay import check_cursor
from schema.subscriptions import decode_event_cursor

#: Fields whose `after` is an event cursor rather than a keyset cursor.
EVENT_CURSOR_FIELDS = {"warningRaised", "receivablesEvents"}


class _Collector(Visitor):
    """One pass over a document: paging arguments, whether a literal holds a NUL, and the
    first directive repeated at one location."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, ArgumentNode]] = []
        self.nul = False
        self.repeated: str | None = None

    def _directives(self, node: Any) -> None:
        names = [d.name.value for d in getattr(node, "directives", None) or ()]
        if self.repeated is None and len(names) != len(set(names)):
            self.repeated = next(n for n in names if names.count(n) > 1)

    def enter(self, node: Any, *_: Any) -> None:
        self._directives(node)

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        self._directives(node)
        for argument in node.arguments or ():
            if argument.name.value in ("first", "after", "last", "before"):
                self.found.append((node.name.value, argument))

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        self.nul = self.nul or "\x00" in node.value


#: A document's analysis, kept by the parsed document's identity.
_ANALYSED: IdentityMemo[_Collector] = IdentityMemo()


def _collected(document: Any) -> _Collector:
    collector = _Collector()
    visit(document, collector)
    return collector


def analyse(document: Any) -> _Collector:
    """The collector for a document, computed once per parsed document."""
    return _ANALYSED.get(document, lambda: _collected(document))


def _value(node: ArgumentNode, variables: dict[str, Any]) -> Any:
    value = node.value
    if isinstance(value, VariableNode):
        return variables.get(value.name.value)
    if isinstance(value, IntValueNode):
        return int(value.value)
    if isinstance(value, StringValueNode):
        return value.value
    return None


def argument_errors(document: Any, variables: dict[str, Any], max_page: int) -> list[GraphQLError]:
    """Errors for out-of-range `first`/`last` and malformed `after`/`before` anywhere in the
    document."""
    collector = analyse(document)
    errors = []
    for field, argument in collector.found:
        value = _value(argument, variables)
        if value is None:
            continue
        name = argument.name.value
        if name in ("first", "last"):
            if isinstance(value, int) and not 1 <= value <= max_page:
                errors.append(
                    GraphQLError(
                        f"`{name}` must be between 1 and {max_page}",
                        nodes=[argument],
                        extensions={"code": "PAGE_SIZE_EXCEEDED"},
                    )
                )
        elif isinstance(value, str):
            try:
                if field in EVENT_CURSOR_FIELDS:
                    decode_event_cursor(value)
                else:
                    check_cursor(value)
            except GraphQLError:
                errors.append(
                    GraphQLError(
                        f"Malformed cursor in `{name}`",
                        nodes=[argument],
                        extensions={"code": "BAD_USER_INPUT"},
                    )
                )
    return errors


def _has_nul(value: Any) -> bool:
    """Whether a variable value holds a NUL anywhere (PostgreSQL text cannot store one).

    JSON writes a NUL only as an escape, so one C-speed search of the values as JSON clears
    almost every request (a 5,000-row import's 30,000 texts: 30 ms walked, 3 ms so); only a
    value that has the escape somewhere, or that JSON cannot write, is walked."""
    try:
        if b"\\u0000" not in orjson.dumps(value):
            return False
    except TypeError:
        pass
    return _walk_nul(value)


def _walk_nul(value: Any) -> bool:
    """_has_nul the slow way: looks into the strings only, not the keys."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_walk_nul(v) for v in value.values())
    if isinstance(value, list):
        return any(_walk_nul(v) for v in value)
    return False


def nul_errors(document: Any, variables: dict[str, Any]) -> list[GraphQLError]:
    """A text with a NUL character is refused as bad input, in literals and variables alike."""
    if analyse(document).nul or _has_nul(variables):
        return [
            GraphQLError(
                "Text must not contain NUL (U+0000) characters",
                extensions={"code": "BAD_USER_INPUT"},
            )
        ]
    return []


class ArgumentLimits(SchemaExtension):
    """Refuse oversized pages, malformed cursors and NUL characters before execution."""

    def __init__(self, max_page: int) -> None:
        self.max_page = max_page

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        repeated = analyse(ctx.graphql_document).repeated if ctx.graphql_document else None
        if repeated is not None:
            # one error, not one per copy: a document of a thousand `@x` is refused as cheaply
            # as one with two (graphql-cop's "directive overloading")
            ctx.pre_execution_errors = [
                GraphQLError(
                    f"Directive @{repeated} is repeated at one location",
                    extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
                )
            ]
        elif ctx.pre_execution_errors == [] and ctx.graphql_document is not None:
            variables = ctx.variables or {}
            seen = analyse(ctx.graphql_document)
            # a document with no paging argument, no NUL and no variables has nothing to check
            if variables or seen.found or seen.nul:
                errors = nul_errors(ctx.graphql_document, variables) or argument_errors(
                    ctx.graphql_document, variables, self.max_page
                )
                if errors:
                    ctx.pre_execution_errors = errors
        yield
