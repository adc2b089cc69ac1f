"""Look ahead in the query: which nested fields were asked for, so a page prefetches them."""

from __future__ import annotations

from typing import Any

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode
from strawberry.types import Info

from schema.engine.compat import resolve_info

#: id(first field node) -> (that node, its pairs). The parser cache hands every request of
#: the same query text the same nodes, so a page's look-ahead is worked out once per query.
_CACHE: dict[int, tuple[FieldNode, frozenset[tuple[str, str]]]] = {}
_CACHE_LIMIT = 2048


def _pairs(
    selection_set: SelectionSetNode | None,
    parent: str,
    fragments: dict[str, Any],
    out: set[tuple[str, str]],
    seen: frozenset[str] = frozenset(),
) -> None:
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            name = selection.name.value
            out.add((parent, name))
            _pairs(selection.selection_set, name, fragments, out, seen)
        elif isinstance(selection, FragmentSpreadNode):  # same parent
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:
                _pairs(fragment.selection_set, parent, fragments, out, seen | {name})
        elif isinstance(selection, InlineFragmentNode):  # same parent
            _pairs(selection.selection_set, parent, fragments, out, seen)


def selected_pairs(info: Info[Any, Any]) -> frozenset[tuple[str, str]]:
    """Every (parent field, child field) pair selected below the current field, whatever
    @skip/@include say (a prefetch of something skipped costs a query, not a wrong answer)."""
    raw = resolve_info(info)
    nodes = raw.field_nodes
    cached = _CACHE.get(id(nodes[0]))
    if cached is not None and cached[0] is nodes[0]:
        return cached[1]
    out: set[tuple[str, str]] = set()
    for node in nodes:
        _pairs(node.selection_set, node.name.value, raw.fragments, out)
    pairs = frozenset(out)
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[id(nodes[0])] = (nodes[0], pairs)
    return pairs
