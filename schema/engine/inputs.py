"""Lean coercion of batch inputs: an input object whose list field carries thousands of flat
rows of strings (importInvoices, importPayments).

graphql-core coerces a variable value by walking it twice, generically: once to check that it
is not nested too deeply, once to coerce it, calling a type predicate and a scalar's coercion
for every field of every row (a 5,000-row import spent ~45 ms there, more than the rest of its
GraphQL handling). For an input type of this shape the engine compiles the same rules into one
loop per row. It gives graphql-core's answer or hands the value back: anything but the plain
case (a missing or null required field, a field it does not know, a value that is not a string,
a row that is not an object) goes to graphql-core, which answers it (with its own errors) as
it always does.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLString,
    Undefined,
    is_required_input_field,
)

from schema.engine.compat import STANDARD, field_default, graphql_schema, hook_variable_coercion

#: A compiled input type: the coerced value, or STANDARD.
Plan = Callable[[Any], Any]
#: One string field: (GraphQL name, output name, non-null, required, default or Undefined).
Leaf = tuple[str, str, bool, bool, Any]

_PLANS: weakref.WeakKeyDictionary[GraphQLInputObjectType, Plan] = weakref.WeakKeyDictionary()


def _leaves(type_: GraphQLInputObjectType) -> tuple[Leaf, ...] | None:
    """The type's fields when every one is a String (null allowed or not), else None."""
    if type_.is_one_of:
        return None
    leaves = []
    for name, field in type_.fields.items():
        inner = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if inner is not GraphQLString:
            return None
        nonnull = isinstance(field.type, GraphQLNonNull)
        leaves.append(
            (
                name,
                field.out_name or name,
                nonnull,
                is_required_input_field(field),
                field_default(field),
            )
        )
    return tuple(leaves)


def _object(type_: GraphQLInputObjectType, leaves: tuple[Leaf, ...]) -> Plan:
    """graphql-core's coercion of an input object of strings, in one loop."""
    known = frozenset(name for name, *_ in leaves)
    out_type = type_.out_type

    def coerce(value: Any) -> Any:
        if type(value) is not dict or not known.issuperset(value):
            return STANDARD
        coerced: dict[str, Any] = {}
        for name, out_name, nonnull, required, default in leaves:
            field_value = value.get(name, Undefined)
            if type(field_value) is str:
                coerced[out_name] = field_value
            elif field_value is Undefined:
                if required:
                    return STANDARD
                if default is not Undefined:
                    coerced[out_name] = default
            elif field_value is None and not nonnull:
                coerced[out_name] = None
            else:
                return STANDARD
        return out_type(coerced)

    return coerce


def _rows(field_type: Any) -> Plan | None:
    """A plan for `[Row!]!` where Row is an input object of strings, else None."""
    if not (isinstance(field_type, GraphQLNonNull) and isinstance(field_type.of_type, GraphQLList)):
        return None
    item = field_type.of_type.of_type
    if not (isinstance(item, GraphQLNonNull) and isinstance(item.of_type, GraphQLInputObjectType)):
        return None
    leaves = _leaves(item.of_type)
    if leaves is None:
        return None
    row = _object(item.of_type, leaves)

    def coerce(value: Any) -> Any:
        if type(value) is not list:
            return STANDARD
        rows = []
        for item_value in value:
            coerced = row(item_value)
            if coerced is STANDARD:
                return STANDARD
            rows.append(coerced)
        return rows

    return coerce


def _batch(type_: GraphQLInputObjectType) -> Plan | None:
    """A plan for an input object whose only field is a `[Row!]!` of string rows."""
    if type_.is_one_of or len(type_.fields) != 1:
        return None
    ((name, field),) = type_.fields.items()
    rows = _rows(field.type)
    if rows is None or not is_required_input_field(field):
        return None
    out_name = field.out_name or name
    out_type = type_.out_type

    def coerce(value: Any) -> Any:
        if type(value) is not dict or len(value) != 1 or name not in value:
            return STANDARD
        coerced = rows(value[name])
        return STANDARD if coerced is STANDARD else out_type({out_name: coerced})

    return coerce


def _plan_for(type_: Any) -> Plan | None:
    named = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    return _PLANS.get(named) if isinstance(named, GraphQLInputObjectType) else None


#: The last batch the nesting check coerced, (value, type, coerced): graphql-core checks a
#: variable and then coerces it, one call after the other, so the rows are walked once.
_checked: list[tuple[Any, Any, Any]] = []


def coerce_variable(value: Any, type_: Any) -> Any:
    """graphql-core's coercion of a variable of a batch type, or STANDARD."""
    if _checked:
        seen, seen_type, coerced = _checked.pop()
        if seen is value and seen_type is type_:
            return coerced
    plan = _plan_for(type_)
    return STANDARD if plan is None else plan(value)


def nested_too_deeply(value: Any, type_: Any) -> Any:
    """Whether a variable is nested too deeply: a batch its plan coerces is three levels deep
    (an object, a list, objects of strings), never too deep; anything else, STANDARD."""
    _checked.clear()
    plan = _plan_for(type_)
    coerced = STANDARD if plan is None else plan(value)
    if coerced is STANDARD:
        return STANDARD
    _checked.append((value, type_, coerced))
    return False


def register(schema: Any) -> list[str]:
    """Compile the batch input types of a strawberry schema: their names."""
    hook_variable_coercion(coerce_variable, nested_too_deeply)
    compiled = []
    for type_ in graphql_schema(schema).type_map.values():
        if isinstance(type_, GraphQLInputObjectType):
            plan = _batch(type_)
            if plan is not None:
                _PLANS[type_] = plan
                compiled.append(type_.name)
    return sorted(compiled)
