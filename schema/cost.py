"""Query cost: a static cost per field, list multipliers from `first`/`last`, computed once per
document and refused before execution when over the limit (Shopify's model).

Every field has a cost: scalars and enums 0, objects 1, a connection 2 plus `first` (or `last`)
times what one of its items costs, a plain list its declared size times one item, a mutation
field 10. `COSTS` overrides fields whose work is not told by their shape (an aggregate over the
ledger, a portfolio simulation). The actual cost is computed from the response the same way,
with the lists' real lengths.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_leaf_type,
)

OBJECT_COST = 1  #: resolving an object costs one point
CONNECTION_COST = 2  #: a connection costs two points before its items
MUTATION_COST = 10  #: a mutation writes: ten points
DEFAULT_PAGE = 20  #: what `first` defaults to on the platform's connections
DEFAULT_LIST_SIZE = 10  #: an unbounded list is assumed to hold this many items
#: Fields whose cost is not told by their shape: aggregates and whole-portfolio work.
COSTS: dict[str, int] = {
    "Query.aging": 50,
    "Query.receivablesKpis": 50,
    "Query.agingTrend": 20,
    "Query.accruedInterest": 10,
    "Query.factoringReconciliation": 50,
    "Query.assignmentEligibility": 50,
    "Query.invoiceInsurance": 20,
    "FactorStatement.differences": 50,
    "Query.portfolioRiskWaterfall": 100,
    "Query.riskWaterfall": 10,
    "Query.warningRuleQuality": 50,
}
#: Lists with a known bound other than the default.
LIST_SIZES: dict[str, int] = {
    "Query.collectionCases": 200,
    "Query.collectionTasks": 200,
    "Query.activities": 200,
    "Query.statements": 200,
    "Customer.auditTrail": 50,
    "CreditFile.timeline": 20,
}


@dataclass(frozen=True)
class Node:
    """One costed field of a document: its own cost, how its children multiply, children."""

    key: str  #: response key (alias or name)
    cost: int  #: paid once for the field
    #: None: the children count once; ("first", n or "$var"): a connection's items;
    #: ("size", n): a plain list of declared size
    multiplier: tuple[str, Any] | None
    children: tuple[Node, ...]
    item: int = 0  #: paid again for each item of a list (each object resolved)


def field_cost(parent: GraphQLObjectType, name: str, field: GraphQLField) -> int:
    """The static cost of one field of the schema (every field has one)."""
    key = f"{parent.name}.{name}"
    if key in COSTS:
        return COSTS[key]
    if parent.name == "Mutation":
        return MUTATION_COST
    named = get_named_type(field.type)
    if is_leaf_type(named):
        return 0
    return CONNECTION_COST if _is_connection(named) else OBJECT_COST


def _is_connection(named: GraphQLNamedType) -> bool:
    return isinstance(named, GraphQLObjectType) and "edges" in named.fields


def _is_list(field: GraphQLField) -> bool:
    kind = field.type
    if isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    return isinstance(kind, GraphQLList)


def _page_argument(node: FieldNode) -> Any:
    for argument in node.arguments or ():
        if argument.name.value in ("first", "last"):
            value = argument.value
            if isinstance(value, IntValueNode):
                return int(value.value)
            if isinstance(value, VariableNode):
                return "$" + value.name.value
    return DEFAULT_PAGE


class Planner:
    """Turns a document into costed nodes once; evaluation with variables is then cheap."""

    def __init__(self, schema: GraphQLSchema, fragments: Mapping[str, FragmentDefinitionNode]):
        self.schema = schema
        self.fragments = fragments

    def plan(self, parent: GraphQLObjectType, selections: SelectionSetNode) -> tuple[Node, ...]:
        """Costed nodes of a selection set on a parent type."""
        out: list[Node] = []
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                node = self._field(parent, selection)
                if node is not None:
                    out.append(node)
            elif isinstance(selection, InlineFragmentNode):
                target = self._type(selection.type_condition, parent)
                out.extend(self.plan(target, selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    target = self._type(fragment.type_condition, parent)
                    out.extend(self.plan(target, fragment.selection_set))
        return tuple(out)

    def _type(self, condition: Any, parent: GraphQLObjectType) -> GraphQLObjectType:
        if condition is None:
            return parent
        found = self.schema.get_type(condition.name.value)
        return found if isinstance(found, GraphQLObjectType) else parent

    def _field(self, parent: GraphQLObjectType, node: FieldNode) -> Node | None:
        name = node.name.value
        if name.startswith("__"):
            return None
        field = parent.fields.get(name)
        if field is None:
            return None
        cost = field_cost(parent, name, field)
        named = get_named_type(field.type)
        key = node.alias.value if node.alias else name
        if is_leaf_type(named) or node.selection_set is None:
            return Node(key, cost, None, ()) if cost else None
        target = named if isinstance(named, GraphQLObjectType) else None
        children = self.plan(target, node.selection_set) if target is not None else ()
        if target is None:  # an interface or union: cost its fragments on the concrete types
            children = self._abstract(node.selection_set)
        multiplier: tuple[str, Any] | None = None
        if _is_connection(named):
            # the page multiplies the items, not pageInfo or totalCount beside them
            page = ("first", _page_argument(node))
            children = tuple(
                Node(c.key, 0, page, c.children) if c.key in self._item_keys(node) else c
                for c in children
            )
        elif _is_list(field):
            size = LIST_SIZES.get(f"{parent.name}.{name}", DEFAULT_LIST_SIZE)
            return Node(key, 0, ("size", size), children, item=cost)
        return Node(key, cost, multiplier, children)

    @staticmethod
    def _item_keys(node: FieldNode) -> set[str]:
        """Response keys of a connection's item lists (`edges`, `nodes`), aliases included."""
        keys = set()
        for selection in node.selection_set.selections if node.selection_set else ():
            if isinstance(selection, FieldNode) and selection.name.value in ("edges", "nodes"):
                keys.add(selection.alias.value if selection.alias else selection.name.value)
        return keys

    def _abstract(self, selections: SelectionSetNode) -> tuple[Node, ...]:
        out: list[Node] = []
        for selection in selections.selections:
            if isinstance(selection, InlineFragmentNode) and selection.type_condition:
                found = self.schema.get_type(selection.type_condition.name.value)
                if isinstance(found, GraphQLObjectType):
                    out.extend(self.plan(found, selection.selection_set))
        return tuple(out)


def plan_operation(
    schema: GraphQLSchema, document: Any, operation_name: str | None
) -> tuple[Node, ...]:
    """The costed nodes of the operation a request runs."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = next(
        (
            o
            for o in operations
            if operation_name is None or (o.name and o.name.value == operation_name)
        ),
        None,
    )
    if chosen is None:
        return ()
    root = schema.get_root_type(chosen.operation)
    if root is None:
        return ()
    return Planner(schema, fragments).plan(root, chosen.selection_set)


def _times(multiplier: tuple[str, Any] | None, variables: Mapping[str, Any]) -> int:
    if multiplier is None:
        return 1
    value = multiplier[1]
    if isinstance(value, str):  # a variable
        value = variables.get(value[1:])
        if not isinstance(value, int):
            value = DEFAULT_PAGE
    return max(int(value), 0)


def requested_cost(nodes: tuple[Node, ...], variables: Mapping[str, Any]) -> int:
    """The cost of an operation before it runs: every list at its requested or declared size."""
    total = 0
    for node in nodes:
        per_item = node.item + requested_cost(node.children, variables)
        total += node.cost + _times(node.multiplier, variables) * per_item
    return total


def actual_cost(nodes: tuple[Node, ...], data: Any) -> int:
    """The cost of what was actually returned: each list at its real length."""
    if not isinstance(data, Mapping):
        return 0
    total = 0
    for node in nodes:
        if node.key not in data:
            continue
        value = data[node.key]
        total += node.cost
        if value is None:
            continue
        if isinstance(value, list):
            total += node.item * len(value)
            if node.children:
                total += sum(actual_cost(node.children, item) for item in value)
        elif node.children:
            total += actual_cost(node.children, value)
    return total
