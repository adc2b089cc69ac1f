"""graphql-core's executor with two lean paths for what a page is mostly made of.

Plain selections (see schema.plans) are completed by a compiled plan, one object at a time;
a plain leaf met on the standard path is read directly instead of through a resolve-info
object and a resolver that only reads the attribute. Anything else, including every error,
goes the standard way.
"""

from __future__ import annotations

import contextlib
import weakref
from typing import Any

from graphql import GraphQLEnumType, GraphQLObjectType, GraphQLScalarType
from graphql.type.definition import GraphQLResolveInfoHelpers
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.engine.plan_code import Completer, completer, origin_of
from schema.engine.plans import (
    MISSING,
    Abandon,
    Plan,
    basic_attribute,
    compile_plan,
    complete_leaf,
    leaf_coercion,
    unwrap,
)


def _alive(ref: weakref.ReferenceType[LeanExecutionContext]) -> LeanExecutionContext:
    context = ref()
    assert context is not None, "resolver helpers used after their operation ended"
    return context


class LeanExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, with compiled plans for plain selections."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # graphql-core's resolver helpers hold bound methods of this context: a reference
        # cycle that kept every request's execution state (its caches, the request context)
        # alive until a garbage collection, and under load those collections stalled the
        # event loop for 60-80 ms at a time. Reaching the context through a weak reference
        # lets it go as soon as the operation is done.
        ref = weakref.ref(self)
        self.async_helpers = GraphQLResolveInfoHelpers(
            gather=lambda *args, **kwargs: _alive(ref).gather_async_work(*args, **kwargs),
            track=lambda *args, **kwargs: _alive(ref).track_async_work(*args, **kwargs),
        )
        manager = self.middleware_manager
        #: Middleware wraps every resolver, so a plan (which calls none) would skip it.
        self._lean = manager is None or not manager.middlewares
        #: (type, id(field details list)) -> (the list, kept alive so its id is not reused;
        #: the plan or None). Completers are found once per collected selection set.
        self._plans: dict[tuple[GraphQLObjectType, int], tuple[Any, Plan | None]] = {}
        self._completers: dict[tuple[GraphQLObjectType, int], Completer | None] = {}

    def _plan(self, return_type: GraphQLObjectType, field_details_list: Any) -> Plan | None:
        key = (return_type, id(field_details_list))
        cached = self._plans.get(key)
        if cached is not None:
            return cached[1]
        self._plans[key] = (field_details_list, None)  # no recursion through cycles
        grouped, defer_usages, _ = self.collect_subfields(return_type, field_details_list)
        plan = None
        if not defer_usages:
            plan = compile_plan(return_type, grouped, self._plan, self.schema.get_field)
        self._plans[key] = (field_details_list, plan)
        return plan

    def collect_and_execute_subfields(
        self,
        return_type: GraphQLObjectType,
        field_details_list: Any,
        path: Any,
        result: Any,
        position_context: Any,
    ) -> Any:
        if self._lean:
            key = (return_type, id(field_details_list))
            if key in self._completers:
                complete = self._completers[key]
            else:
                plan = self._plan(return_type, field_details_list)  # keeps the list alive
                complete = self._completers[key] = (
                    completer(plan, origin_of(return_type)) if plan is not None else None
                )
            if complete is not None:
                try:
                    return complete(result, self.is_awaitable)
                except Abandon:
                    pass
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
        node = field_details_list[0].node
        if self._lean and not node.arguments:
            field_def = self.schema.get_field(parent_type, node.name.value)
            attr = basic_attribute(field_def) if field_def is not None else None
            if attr is not None:
                leaf, non_null = unwrap(field_def.type)  # type: ignore[union-attr]
                if isinstance(leaf, GraphQLScalarType | GraphQLEnumType):
                    try:
                        value = getattr(source, attr, MISSING)
                    except Exception:  # the standard path reports it on this field
                        value = MISSING
                    if value is None:
                        if not non_null:
                            return None
                    elif value is not MISSING:
                        with contextlib.suppress(Abandon):  # the standard path reports it
                            return complete_leaf(leaf_coercion(leaf), value, self.is_awaitable)
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )
