"""graphql-core's executor with two lean paths for what a page is mostly made of.

Plain selections (see schema.engine.plans) are completed by a compiled plan, one object at a
time; a plain leaf met on the standard path is read directly instead of through a
resolve-info object and a resolver that only reads the attribute. Anything else, including
every error, goes the standard way. The hooks into graphql-core are schema.engine.compat's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from graphql import GraphQLEnumType, GraphQLObjectType, GraphQLScalarType, Node, VariableNode

from schema.engine import events
from schema.engine.compat import STANDARD, HookedExecutor, fragment_definitions, origin_of
from schema.engine.plan_code import Completer, completer
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

#: Plans and completers shared by every request whose selections cannot vary with its
#: variables, keyed by the return type and the identities of the collected field nodes (the
#: parser cache hands each request the same nodes); each entry keeps its nodes alive so an
#: identity is never reused while the entry stands.
_SHARED: dict[tuple[GraphQLObjectType, tuple[int, ...]], tuple[Any, Plan | None]] = {}
_SHARED_LIMIT = 4096
#: id(operation) -> (the operation, whether its selections are fixed by its text)
_FIXED: dict[int, tuple[Any, bool]] = {}
_FIXED_LIMIT = 1024


def _reads_variables(node: Any) -> bool:
    """Whether a directive on `node` or anywhere below it reads a variable."""
    for directive in getattr(node, "directives", None) or ():
        if any(_has_variable(argument.value) for argument in directive.arguments or ()):
            return True
    selection_set = getattr(node, "selection_set", None)
    return selection_set is not None and any(
        _reads_variables(selection) for selection in selection_set.selections
    )


def _has_variable(value: Node) -> bool:
    if isinstance(value, VariableNode):
        return True
    return any(_has_variable(v) for v in getattr(value, "values", None) or ()) or any(
        _has_variable(f.value) for f in getattr(value, "fields", None) or ()
    )


def fixed_selections(operation: Any, fragments: list[Any]) -> bool:
    """Whether no directive of the operation (or a fragment) reads a variable: then the fields
    collected at any point depend on the document alone, and plans can be shared."""
    cached = _FIXED.get(id(operation))
    if cached is not None and cached[0] is operation:
        return cached[1]
    fixed = not any(_reads_variables(node) for node in (operation, *fragments))
    if len(_FIXED) >= _FIXED_LIMIT:
        _FIXED.clear()
    _FIXED[id(operation)] = (operation, fixed)
    return fixed


class LeanExecutionContext(HookedExecutor):
    """graphql-core's executor, with compiled plans for plain selections."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: (type, id(field details list)) -> (the list, kept alive so its id is not reused;
        #: the plan or None). Completers are found once per collected selection set.
        self.engine_plans: dict[tuple[GraphQLObjectType, int], tuple[Any, Plan | None]] = {}
        self.engine_completers: dict[tuple[GraphQLObjectType, int], Completer | None] = {}
        self.engine_event = False  #: a subscription event's copy (build_per_event_executor)
        #: plans may come from (and go to) the cache shared across requests
        self.engine_shared = fixed_selections(self.operation, fragment_definitions(self))

    def build_per_event_executor(self, payload: Any) -> Any:
        """A subscription event's executor, with plan caches of its own: graphql-core copies
        the executor shallowly, and one shared cache would grow by each event's selections
        (keyed by list identity, they never hit) for as long as the subscription lives."""
        executor = cast(LeanExecutionContext, super().build_per_event_executor(payload))
        executor.engine_plans = {}
        executor.engine_completers = {}
        executor.engine_event = True
        return executor

    def execute_operation(self, serially: bool | None = None) -> Any:
        """Execute, or for a subscription event reuse the result another subscriber's
        identical request produced for the same event (schema.engine.events)."""
        key = events.event_key(self) if self.engine_event else None
        if key is None:
            return super().execute_operation(serially)
        root, operation = self.root_value, self.operation
        shared = events.shared_result(key, root, operation)
        if shared is not None:
            return shared
        result = super().execute_operation(serially)
        if self.is_awaitable(result) or getattr(result, "errors", None):
            return result  # awaited or failed results stay the subscriber's own
        return events.keep_result(key, root, operation, result)

    def plan_of(self, return_type: GraphQLObjectType, field_details_list: Any) -> Plan | None:
        """The plan of a collected selection on `return_type`, or None (the standard path)."""
        key = (return_type, id(field_details_list))
        cached = self.engine_plans.get(key)
        if cached is not None:
            return cached[1]
        shared_key = self._shared_key(return_type, field_details_list)
        if shared_key is not None and (hit := _SHARED.get(shared_key)) is not None:
            self.engine_plans[key] = (field_details_list, hit[1])
            return hit[1]
        self.engine_plans[key] = (field_details_list, None)  # no recursion through cycles
        selected = self.plain_subselection(return_type, field_details_list)
        plan = None
        if selected is not None:
            plan = compile_plan(return_type, selected, self.plan_of)
        self.engine_plans[key] = (field_details_list, plan)
        if shared_key is not None:
            if len(_SHARED) >= _SHARED_LIMIT:
                _SHARED.clear()
            _SHARED[shared_key] = (tuple(d.node for d in field_details_list), plan)
        return plan

    def _shared_key(
        self, return_type: GraphQLObjectType, field_details_list: Any
    ) -> tuple[GraphQLObjectType, tuple[int, ...]] | None:
        """The cross-request key of a collected selection, when this request may share."""
        if not self.engine_shared or self.engine_event:
            return None
        return (return_type, tuple(id(d.node) for d in field_details_list))

    def complete_plain(
        self,
        return_type: GraphQLObjectType,
        field_details_list: Any,
        source: Any,
        is_awaitable: Callable[[Any], bool],
    ) -> Any:
        """The sub-selection of `source` completed by its plan, or STANDARD."""
        key = (return_type, id(field_details_list))
        if key in self.engine_completers:
            complete = self.engine_completers[key]
        else:
            plan = self.plan_of(return_type, field_details_list)  # keeps the list alive
            complete = self.engine_completers[key] = (
                completer(plan, origin_of(return_type)) if plan is not None else None
            )
        if complete is not None:
            try:
                return complete(source, is_awaitable)
            except Abandon:
                pass
        return STANDARD

    def read_plain_leaf(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_name: str,
        is_awaitable: Callable[[Any], bool],
    ) -> Any:
        """A plain leaf read straight from its attribute, or STANDARD."""
        field_def = parent_type.fields.get(field_name)
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
                    try:
                        return complete_leaf(leaf_coercion(leaf), value, is_awaitable)
                    except Abandon:  # the standard path reports it
                        pass
        return STANDARD
