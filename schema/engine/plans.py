"""Completion plans: a selection made only of plain attributes, completed in one function.

A page of 50 customers is ~1,000 fields, nearly all attributes the resolver already loaded.
graphql-core completes each through several generic calls (collect, execute, complete,
coerce); a plan describes a collected selection set as tuples, and schema.engine.plan_code turns
it into a function that walks the objects directly. Only selections the standard path
would complete without running any code of ours qualify: basic strawberry fields (no
resolver, no extensions, no arguments), scalar or enum leaves, concrete object types and
lists of them, `__typename`. Anything unexpected while running a plan (a null in a non-null
field, an awaitable, a value a scalar refuses) abandons it, and graphql-core completes the
same object the standard way, so errors, their paths and null propagation stay exactly the
standard ones.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLID,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLString,
    Undefined,
)

from schema.engine.compat import Subselection, default_resolver_field, enum_class
from schema.engine.lazy import FromRow

#: Plan step kinds.
TYPENAME, LEAF, OBJECT, LIST = range(4)

#: (response key, kind, attribute, coerce or object type, sub-plan or item kind, non-null,
#:  item non-null)
Step = tuple[str, int, str, Any, Any, bool, bool]
Plan = tuple[Step, ...]

#: Values of these exact types are never awaitable: no check needed.
_PLAIN_VALUES = frozenset({str, int, float, bool, date, datetime, Decimal, UUID, list, dict})
MISSING = object()


class Abandon(Exception):
    """The plan met something only the standard path handles; complete it that way."""


#: id(field definition) -> (the definition, its attribute name or None when not basic).
_BASIC: dict[int, tuple[GraphQLField, str | None]] = {}


def basic_attribute(field_def: GraphQLField) -> str | None:
    """The attribute a basic strawberry field reads (no resolver, extensions or arguments)."""
    cached = _BASIC.get(id(field_def))
    if cached is not None and cached[0] is field_def:
        return cached[1]
    found: str | None = None
    field = default_resolver_field(field_def) if not field_def.args else None
    if field is not None and field.base_resolver is None and not field.extensions:
        found = field.python_name
    _BASIC[id(field_def)] = (field_def, found)
    return found


#: id(enum type) -> (the type, its coercion); see enum_coercion.
_ENUMS: dict[int, tuple[Any, Callable[[Any], Any]]] = {}


def leaf_coercion(type_: GraphQLScalarType | GraphQLEnumType) -> Callable[[Any], Any]:
    """How a leaf value becomes its response value; for strawberry enums a dict lookup.

    strawberry finds a member's GraphQL name by comparing it with every value of the enum,
    in order; the table below holds the answer of that same scan for each member.
    """
    wrapped = enum_class(type_) if isinstance(type_, GraphQLEnumType) else None
    if wrapped is None:
        return type_.coerce_output_value
    cached = _ENUMS.get(id(type_))
    if cached is not None and cached[0] is type_:
        return cached[1]
    names: dict[Any, str] = {}
    for member in wrapped:
        for name, value in type_.values.items():
            if member.value == value.value:
                names[member] = name
                break
    standard = type_.coerce_output_value

    def coerce(value: Any) -> Any:
        name = names.get(value) if value.__class__ is wrapped else None
        return name if name is not None else standard(value)

    _ENUMS[id(type_)] = (type_, coerce)
    return coerce


#: Whether instances of a class are awaitable: asked once per class, not once per object;
#: None for a class whose instances answer through their own __getattr__ (asked each time).
_AWAITABLE: dict[type, bool | None] = {}


def awaitable(value: Any, is_awaitable: Callable[[Any], bool]) -> bool:
    """graphql-core's answer for `value`, remembered for its class (`await` itself only
    looks at the class)."""
    cls = value.__class__
    known = _AWAITABLE.get(cls, MISSING)
    if known is MISSING:
        answer = is_awaitable(value)
        dynamic = any("__getattr__" in k.__dict__ for k in cls.__mro__)
        _AWAITABLE[cls] = None if dynamic and not issubclass(cls, FromRow) else answer
        return answer
    return is_awaitable(value) if known is None else bool(known)


def as_is(type_: GraphQLScalarType | GraphQLEnumType) -> type | None:
    """The Python class whose values a leaf type returns unchanged (graphql-core's String and
    ID return any str as it is, Boolean any bool); None where coercion must run."""
    if type_ is GraphQLString or type_ is GraphQLID:
        return str
    if type_ is GraphQLBoolean:
        return bool
    return None


def unwrap(type_: Any) -> tuple[Any, bool]:
    """The type inside a non-null wrapper, and whether there was one."""
    if isinstance(type_, GraphQLNonNull):
        return type_.of_type, True
    return type_, False


def compile_plan(
    parent: GraphQLObjectType,
    selected: Subselection,
    subplan: Callable[[GraphQLObjectType, Any], Plan | None],
) -> Plan | None:
    """Steps for one collected selection set, or None when any field needs the standard path;
    `subplan` gives the plan of a field's own selection (its details) on an object type."""
    steps: list[Step] = []
    for key, name, details in selected:
        if name == "__typename":
            steps.append((key, TYPENAME, name, parent.name, None, True, False))
            continue
        if name.startswith("__"):
            return None
        field_def = parent.fields.get(name)
        if field_def is None:
            return None
        attr = basic_attribute(field_def)
        if attr is None:
            return None
        type_, non_null = unwrap(field_def.type)
        if isinstance(type_, GraphQLScalarType | GraphQLEnumType):
            steps.append((key, LEAF, attr, leaf_coercion(type_), as_is(type_), non_null, False))
        elif isinstance(type_, GraphQLObjectType):
            inner = subplan(type_, details)
            if inner is None:
                return None
            steps.append((key, OBJECT, attr, type_, inner, non_null, False))
        elif isinstance(type_, GraphQLList):
            item, item_non_null = unwrap(type_.of_type)
            if isinstance(item, GraphQLScalarType | GraphQLEnumType):
                leaf = (LEAF, leaf_coercion(item), None)
                steps.append((key, LIST, attr, leaf, None, non_null, item_non_null))
            elif isinstance(item, GraphQLObjectType):
                inner = subplan(item, details)
                if inner is None:
                    return None
                obj = (OBJECT, item, inner)
                steps.append((key, LIST, attr, obj, None, non_null, item_non_null))
            else:
                return None  # lists of lists, interfaces, unions
        else:
            return None  # interfaces and unions need their runtime type resolved
    return tuple(steps)


def complete_leaf(
    coerce: Callable[[Any], Any], value: Any, is_awaitable: Callable[[Any], bool]
) -> Any:
    """A scalar or enum value as the response carries it; Abandon where graphql-core errs."""
    if value.__class__ not in _PLAIN_VALUES and awaitable(value, is_awaitable):
        raise Abandon
    try:
        coerced = coerce(value)
    except Exception:
        raise Abandon from None
    if coerced is None or coerced is Undefined:
        raise Abandon
    return coerced


def check_object(
    check: Callable[[Any, None], Any] | None, value: Any, is_awaitable: Callable[[Any], bool]
) -> None:
    """Abandon unless `value` is a ready object graphql-core would complete as the type whose
    `is_type_of` is `check` (compat.type_check, found when the plan is generated)."""
    if awaitable(value, is_awaitable):
        raise Abandon
    if check is not None:  # most types have none
        try:
            matches = check(value, None)
        except Exception:
            raise Abandon from None
        if matches is not True:
            raise Abandon
