"""Every private graphql-core or strawberry API the engine uses, and nothing else.

The engine (execution, plans, plan_code, lazy, selection) reaches into both libraries in the
few places listed here and nowhere else: graphql-core methods marked `:meta private:` (its
executor's field and sub-selection completion), the structure of its collected fields, and
strawberry internals (its executor class, the resolve info behind `Info`, a default
resolver's closure, the definitions it hangs on GraphQL types, its enum types' classes).
Both libraries are pinned exactly (pyproject.toml, constraints.txt) to the versions below;
`tests/schema/test_engine_fence.py` fails when another engine module touches a private name
or when the installed versions are not these, so an upgrade starts by re-reading this file.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from importlib.metadata import version
from typing import Any

from graphql import (
    FieldNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputField,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLResolveInfoHelpers,
    GraphQLSchema,
    MiddlewareManager,
)
from graphql.execution import values as _values
from graphql.utilities.coerce_input_value import coerce_default_value
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import Info

log = logging.getLogger("credit.engine")

#: The versions this module was written and tested against.
TESTED_WITH = {"graphql-core": "3.3.2", "strawberry-graphql": "0.341.2"}

#: strawberry's own executor (a subclass of graphql-core's): the standard path.
StandardExecutor = StrawberryGraphQLCoreExecutionContext

#: strawberry's extensions runner (not exported by strawberry.extensions): engine.hooks'
#: runner replaces its four stages and keeps the rest.
StandardRunner = SchemaExtensionsRunner

#: What a hook returns to hand the work back to graphql-core.
STANDARD: Any = object()

#: Directives the field collector has already applied; any other one (defer, stream) means
#: incremental delivery, which the hooks leave to graphql-core.
_APPLIED = frozenset({"skip", "include"})

#: A collected selection set as the hooks see it: (response key, field name, the field's
#: details, to be handed back to `plain_subselection` for the field's own sub-selection).
Subselection = tuple[tuple[str, str, Any], ...]


def installed_versions() -> dict[str, str]:
    """The installed versions of the libraries in TESTED_WITH."""
    return {name: version(name) for name in TESTED_WITH}


def _alive(ref: weakref.ReferenceType[HookedExecutor]) -> HookedExecutor:
    executor = ref()
    assert executor is not None, "resolver helpers used after their operation ended"
    return executor


_warned_middleware = False


def _warn_middleware_once() -> None:
    global _warned_middleware
    if not _warned_middleware:
        _warned_middleware = True
        log.warning(
            "graphql fast path off: the schema has resolver middleware (an extension "
            "implementing `resolve`), which completion plans would skip; every field takes "
            "graphql-core's standard path"
        )


class HookedExecutor(StandardExecutor):
    """strawberry's executor with two hooks into graphql-core's completion, for a subclass.

    The subclass defines `complete_plain(return_type, field_details_list, source,
    is_awaitable)`, which may complete an object's whole sub-selection, and
    `read_plain_leaf(parent_type, source, field_name, is_awaitable)`, which may complete one
    argument-free field; either returns STANDARD to let graphql-core do it. Neither is called
    when the operation runs resolver middleware (which they would skip): that is logged once.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # graphql-core's resolver helpers hold bound methods of the executor: a reference
        # cycle that kept every request's execution state (its caches, the request context)
        # alive until a garbage collection, and under load those collections stalled the
        # event loop for 60-80 ms at a time. Reaching the executor through a weak reference
        # lets it go as soon as the operation is done.
        ref = weakref.ref(self)
        self.async_helpers = GraphQLResolveInfoHelpers(
            gather=lambda *args, **kwargs: _alive(ref).gather_async_work(*args, **kwargs),
            track=lambda *args, **kwargs: _alive(ref).track_async_work(*args, **kwargs),
        )
        manager = self.middleware_manager
        #: Middleware wraps every resolver, so a hook (which calls none) would skip it.
        self.engine_on = manager is None or not manager.middlewares
        if not self.engine_on:
            _warn_middleware_once()

    def plain_subselection(
        self, return_type: GraphQLObjectType, field_details_list: Any
    ) -> Subselection | None:
        """The fields selected below `field_details_list` on `return_type`, or None when any
        of them needs more than reading (arguments, @defer or @stream, fragment variables)."""
        grouped, defer_usages, _ = self.collect_subfields(return_type, field_details_list)
        if defer_usages:
            return None
        selected = []
        for key, details in grouped.items():
            for detail in details:
                node: FieldNode = detail.node
                if detail.defer_usage is not None or detail.fragment_variable_values is not None:
                    return None
                if node.arguments:
                    return None
                if any(d.name.value not in _APPLIED for d in node.directives or ()):
                    return None
            selected.append((key, details[0].node.name.value, details))
        return tuple(selected)

    # graphql-core's private methods, overridden

    def collect_and_execute_subfields(
        self,
        return_type: GraphQLObjectType,
        field_details_list: Any,
        path: Any,
        result: Any,
        position_context: Any,
    ) -> Any:
        if self.engine_on:
            done = self.complete_plain(return_type, field_details_list, result, self.is_awaitable)
            if done is not STANDARD:
                return done
        return super().collect_and_execute_subfields(
            return_type, field_details_list, path, result, position_context
        )

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any = None,
    ) -> Any:
        if self.engine_on:
            node = field_details_list[0].node
            if not node.arguments:
                done = self.read_plain_leaf(parent_type, source, node.name.value, self.is_awaitable)
                if done is not STANDARD:
                    return done
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )


def resolve_info(info: Info[Any, Any]) -> GraphQLResolveInfo:
    """graphql-core's resolve info behind strawberry's `Info` (field nodes, fragments)."""
    return info._raw_info


def default_resolver_field(field_def: GraphQLField) -> Any:
    """The strawberry field whose attribute `field_def`'s resolver reads, when that resolver
    is strawberry's default one for a basic field (no resolver of its own); else None.

    strawberry records neither fact publicly: the default resolver is marked `_is_default`
    and holds its field in its closure (the resolver for a field with exception handlers,
    also marked default, holds none, and is not plain).
    """
    resolve = field_def.resolve
    if resolve is None or not getattr(resolve, "_is_default", False):
        return None
    cells = dict(zip(resolve.__code__.co_freevars, resolve.__closure__ or (), strict=True))
    return cells["field"].cell_contents if "field" in cells else None


def origin_of(type_: Any) -> type | None:
    """The Python class strawberry made a GraphQL object type from, if it says."""
    definition = (getattr(type_, "extensions", None) or {}).get("strawberry-definition")
    return getattr(definition, "origin", None)


def enum_class(type_: GraphQLEnumType) -> type | None:
    """The Python enum a strawberry enum type was made from (None for other enum types)."""
    return getattr(type_, "wrapped_cls", None)


def type_check(type_: GraphQLObjectType) -> Callable[[Any, None], Any] | None:
    """The type's `is_type_of`, to call as `check(value, None)` (None when it has none).
    No resolve info exists outside a field's resolution: strawberry's does not read it."""
    return type_.is_type_of  # type: ignore[return-value]


def graphql_schema(schema: Any) -> GraphQLSchema:
    """The graphql-core schema behind a strawberry schema."""
    return schema._schema  # type: ignore[no-any-return]


def field_default(field: GraphQLInputField) -> Any:
    """An input field's default as graphql-core coerces it (Undefined when it has none)."""
    return coerce_default_value(field)


#: graphql-core's coercion of one operation variable, and the nesting check before it.
standard_coerce_variable = _values.coerce_input_value
standard_nested_too_deeply = _values.input_is_nested_too_deeply


def hook_variable_coercion(
    coerce: Callable[[Any, Any], Any], nested: Callable[[Any, Any], Any]
) -> None:
    """Route graphql-core's coercion of each operation variable (`coerce_variable_values`
    calls these two by their module names) through the engine first: `nested(value, type)`
    and `coerce(value, type)` answer as graphql-core's functions do, or STANDARD to hand the
    value to them. Installing twice changes nothing."""

    def input_is_nested_too_deeply(value: Any, type_: Any) -> bool:
        answer = nested(value, type_)
        return bool(standard_nested_too_deeply(value, type_) if answer is STANDARD else answer)

    def coerce_input_value(value: Any, type_: Any) -> Any:
        answer = coerce(value, type_)
        return standard_coerce_variable(value, type_) if answer is STANDARD else answer

    _values.input_is_nested_too_deeply = input_is_nested_too_deeply
    _values.coerce_input_value = coerce_input_value


def field_roles(field: GraphQLField) -> tuple[frozenset[str], ...] | None:
    """The role sets a field's permission gates allow (one per gate; () when it has none),
    or None when a gate is not a role check the compiled path knows how to repeat. strawberry
    keeps a field's extensions on its definition, which it hangs on the GraphQL field."""
    definition = (field.extensions or {}).get("strawberry-definition")
    gates: list[frozenset[str]] = []
    for extension in getattr(definition, "extensions", None) or ():
        for permission in getattr(extension, "permissions", None) or ():
            roles = getattr(permission, "roles", None)
            if not isinstance(roles, frozenset):
                return None
            gates.append(roles)
    return tuple(gates)


def fragment_definitions(executor: HookedExecutor) -> list[Any]:
    """An executor's fragment definition nodes (graphql-core keeps each with its variable
    signatures)."""
    return [getattr(f, "definition", f) for f in executor.fragments.values()]


#: The resolver middleware of an operation whose extensions implement no `resolve` hook:
#: graphql-core's manager with none holds no state, so every such operation shares one.
_NO_MIDDLEWARE = MiddlewareManager()
#: Whether any of a list of extension classes implements `resolve` (a schema has one list).
_RESOLVING: dict[tuple[type, ...], bool] = {}


class SharedMiddlewareManager:
    """A schema mixin: strawberry builds a resolver-middleware manager per operation (its
    private `_get_middleware_manager`), asking each extension whether it implements
    `resolve`; with the fast path on, an operation whose extensions implement none gets the
    shared empty manager, which graphql-core treats as no middleware."""

    lean_hooks = False

    def _get_middleware_manager(self, extensions: list[Any]) -> MiddlewareManager:
        if self.lean_hooks:
            classes = tuple(map(type, extensions))
            resolving = _RESOLVING.get(classes)
            if resolving is None:
                resolving = _RESOLVING[classes] = any(c._implements_resolve() for c in classes)
            if not resolving:
                return _NO_MIDDLEWARE
        return super()._get_middleware_manager(extensions)  # type: ignore[misc,no-any-return]
