"""A leaner path for plain leaf fields: most of a page's 1,000 fields are attributes.

For a strawberry "basic" field (no resolver, no extensions, no arguments) whose type is a
scalar or an enum, graphql-core still builds a resolve-info object and calls a resolver that
only reads the attribute. This execution context reads it directly and completes the leaf
the same way; anything else (nulls on non-null fields, errors) goes the standard way.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    Undefined,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

#: id(field definition) -> (python attribute, leaf type), or None when not a plain leaf.
_PLAIN: dict[int, tuple[str, Any] | None] = {}


def _plain_leaf(field_def: GraphQLField) -> tuple[str, Any] | None:
    """The attribute a basic strawberry field reads, when its type is a leaf."""
    key = id(field_def)
    if key in _PLAIN:
        return _PLAIN[key]
    found: tuple[str, Any] | None = None
    resolve = field_def.resolve
    leaf = field_def.type.of_type if isinstance(field_def.type, GraphQLNonNull) else field_def.type
    if (
        resolve is not None
        and getattr(resolve, "_is_default", False)
        and isinstance(leaf, GraphQLScalarType | GraphQLEnumType)
        and not field_def.args
    ):
        cells = dict(zip(resolve.__code__.co_freevars, resolve.__closure__ or (), strict=True))
        field = cells["field"].cell_contents if "field" in cells else None
        if field is not None and field.base_resolver is None and not field.extensions:
            found = (field.python_name, leaf)
    _PLAIN[key] = found
    return found


class LeanExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor with a direct path for plain leaf attributes."""

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any = None,
    ) -> Any:
        node = field_details_list[0].node
        if not node.arguments and not self.middleware_manager:
            field_def = self.schema.get_field(parent_type, node.name.value)
            plain = _plain_leaf(field_def) if field_def is not None else None
            if plain is not None:
                value = getattr(source, plain[0], None)
                if value is not None:
                    try:
                        coerced = plain[1].coerce_output_value(value)
                    except Exception:  # the standard path reports it as a field error
                        coerced = None
                    if coerced is not None and coerced is not Undefined:
                        return coerced
                elif not isinstance(field_def.type, GraphQLNonNull):  # type: ignore[union-attr]
                    return None
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )
