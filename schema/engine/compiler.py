"""Trusted documents compiled once: which registered operations one SQL statement can answer.

A registered document (schema/integration/documents.py) is analysed once per process, with
graphql-core's public API, into occurrences of the fields it selects: a single query whose
root is one `customers` page, every field below one that services/compiled/ can build
(ANSWERS), `__typename` anywhere, aliases, fragments that apply to the concrete type and
@skip/@include (literals or variables). Anything else (another root field, a field with a
resolver of its own, other directives, mutations, subscriptions) is not compiled and runs
the standard way. At request time the occurrences are resolved against the variables into
the neutral plan (services/compiled/plan.py) the SQL builder answers.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_abstract_type,
)

from schema.cost import Node, plan_operation
from schema.engine.compat import field_roles
from services.compiled.customers_sql import ANSWERS, MAX_KEYS
from services.compiled.plan import Pick

log = logging.getLogger("credit.compiled")

#: The root field a compiled operation pages through.
ROOT_FIELD = "customers"


class Uncompilable(Exception):
    """The document needs the standard execution; the message says why (logged once)."""


@dataclass(frozen=True, slots=True)
class Condition:
    """One @skip or @include: its `if` from a variable or a literal."""

    include: bool
    variable: str | None
    literal: bool = False

    def passes(self, variables: Mapping[str, Any]) -> bool:
        value = variables.get(self.variable) if self.variable is not None else self.literal
        if not isinstance(value, bool):
            raise Uncompilable("a @skip/@include condition without a boolean")
        return value if self.include else not value


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A field as the document writes it once, with the conditions on its way there."""

    key: str
    name: str
    when: tuple[Condition, ...]
    children: tuple[Occurrence, ...]
    #: where the document writes it (an error on the field is located there)
    node: FieldNode | None = field(default=None, compare=False)


@dataclass(frozen=True)
class CompiledOperation:
    """An operation one statement can answer: its root occurrences, the `customers` field
    and node its arguments are read from, every role gate on the way, and its cost points
    per response path (schema/cost.py's nodes, summed where a key is selected twice)."""

    operation: OperationDefinitionNode
    root: tuple[Occurrence, ...]
    root_field: GraphQLField
    root_node: FieldNode
    gates: tuple[frozenset[str], ...]
    costs: Mapping[tuple[str, ...], tuple[int, int]]

    def plan(self, variables: Mapping[str, Any]) -> tuple[Pick, ...]:
        """The root picks for these (coerced) variables."""
        return resolve(self.root, variables, (), self.costs)

    def root_nodes_of(self, key: str, variables: Mapping[str, Any]) -> list[FieldNode]:
        """The field nodes a root response key merges for these variables, in document order
        (the locations graphql-core gives an error on that key)."""
        return [
            o.node
            for o in self.root
            if o.key == key and o.node is not None and all(c.passes(variables) for c in o.when)
        ]


def resolve(
    occurrences: tuple[Occurrence, ...],
    variables: Mapping[str, Any],
    path: tuple[str, ...],
    costs: Mapping[tuple[str, ...], tuple[int, int]],
) -> tuple[Pick, ...]:
    """Occurrences that pass their conditions, merged by response key in document order
    (graphql-core's field collection), as picks."""
    merged: dict[str, list[Occurrence]] = {}
    for occurrence in occurrences:
        if all(c.passes(variables) for c in occurrence.when):
            merged.setdefault(occurrence.key, []).append(occurrence)
    picks = []
    for key, found in merged.items():
        below = tuple(child for o in found for child in o.children)
        at = (*path, key)
        once, item = costs.get(at, (0, 0))
        picks.append(Pick(key, found[0].name, resolve(below, variables, at, costs), once, item))
    return tuple(picks)


def _condition(directive: DirectiveNode) -> Condition:
    name = directive.name.value
    if name not in ("skip", "include"):
        raise Uncompilable(f"directive @{name}")
    value = next((a.value for a in directive.arguments or () if a.name.value == "if"), None)
    if isinstance(value, BooleanValueNode):
        return Condition(name == "include", None, value.value)
    if isinstance(value, VariableNode):
        return Condition(name == "include", value.name.value)
    raise Uncompilable(f"@{name} without `if`")


class _Walker:
    """One pass over an operation's selections against the schema."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode) -> None:
        self.schema = schema
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.gates: list[frozenset[str]] = []
        self.root_nodes: list[tuple[GraphQLField, FieldNode]] = []

    def applies(self, condition: NamedTypeNode | None, parent: GraphQLObjectType) -> bool:
        if condition is None or condition.name.value == parent.name:
            return True
        named = self.schema.get_type(condition.name.value)
        return is_abstract_type(named) and self.schema.is_sub_type(named, parent)

    def selections(
        self,
        parent: GraphQLObjectType,
        selection_set: SelectionSetNode,
        when: tuple[Condition, ...],
        seen: frozenset[str] = frozenset(),
    ) -> list[Occurrence]:
        out: list[Occurrence] = []
        for selection in selection_set.selections:
            conditions = when + tuple(_condition(d) for d in selection.directives or ())
            if isinstance(selection, FieldNode):
                out.append(self.field(parent, selection, conditions))
            elif isinstance(selection, InlineFragmentNode):
                if self.applies(selection.type_condition, parent):
                    out += self.selections(parent, selection.selection_set, conditions, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    raise Uncompilable(f"fragment {name}")
                if fragment.directives:
                    raise Uncompilable(f"directives on fragment {name}")
                if self.applies(fragment.type_condition, parent):
                    out += self.selections(
                        parent, fragment.selection_set, conditions, seen | {name}
                    )
        return out

    def field(
        self, parent: GraphQLObjectType, node: FieldNode, when: tuple[Condition, ...]
    ) -> Occurrence:
        name = node.name.value
        key = node.alias.value if node.alias else name
        if name == "__typename":
            return Occurrence(key, name, when, (), node)
        if name not in ANSWERS.get(parent.name, ()):
            raise Uncompilable(f"{parent.name}.{name}")
        definition = parent.fields[name]
        gates = field_roles(definition)
        if gates is None:
            raise Uncompilable(f"{parent.name}.{name}: a permission other than roles")
        self.gates += gates
        is_root = parent is self.schema.query_type
        if is_root:
            self.root_nodes.append((definition, node))
        elif node.arguments:
            raise Uncompilable(f"{parent.name}.{name} with arguments")
        children: tuple[Occurrence, ...] = ()
        if node.selection_set is not None:
            named = get_named_type(definition.type)
            if not isinstance(named, GraphQLObjectType):
                raise Uncompilable(f"{parent.name}.{name}: not an object type")
            children = tuple(self.selections(named, node.selection_set, ()))
        return Occurrence(key, name, when, children, node)


def _choose(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        if len(operations) != 1:
            raise Uncompilable("several operations and no operation name")
        return operations[0]
    for operation in operations:
        if operation.name and operation.name.value == operation_name:
            return operation
    raise Uncompilable(f"no operation {operation_name}")


def _costs(nodes: tuple[Node, ...], path: tuple[str, ...], out: dict[Any, Any]) -> None:
    """Cost points by response path: a key selected twice is counted twice, as actual_cost
    counts each of its nodes over the same value."""
    for node in nodes:
        at = (*path, node.key)
        once, item = out.get(at, (0, 0))
        out[at] = (once + node.cost, item + node.item)
        _costs(node.children, at, out)


def _keys_within_limit(occurrences: tuple[Occurrence, ...]) -> None:
    """json_build_object's argument limit: at most MAX_KEYS keys per object."""
    if len({o.key for o in occurrences}) > MAX_KEYS:
        raise Uncompilable(f"an object of more than {MAX_KEYS} keys")
    for occurrence in occurrences:
        _keys_within_limit(occurrence.children)


def compile_operation(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None
) -> CompiledOperation:
    """The compiled form of an operation, or Uncompilable saying why not."""
    operation = _choose(document, operation_name)
    if operation.operation != OperationType.QUERY:
        raise Uncompilable(f"a {operation.operation.value}")
    if operation.directives or any(v.directives for v in operation.variable_definitions or ()):
        raise Uncompilable("directives on the operation")
    query = schema.query_type
    assert query is not None
    walker = _Walker(schema, document)
    root = tuple(walker.selections(query, operation.selection_set, ()))
    pages = {o.key for o in root if o.name == ROOT_FIELD}
    if len(pages) != 1:  # validation makes every occurrence of one key ask the same
        raise Uncompilable("not one customers page at the root")
    _keys_within_limit(root)
    costs: dict[tuple[str, ...], tuple[int, int]] = {}
    name = operation.name.value if operation.name else None
    _costs(plan_operation(schema, document, name), (), costs)
    field, node = walker.root_nodes[0]
    return CompiledOperation(operation, root, field, node, tuple(walker.gates), costs)
