"""Look ahead in the query: which nested fields were asked for, so a page prefetches them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from strawberry.types import Info


def _pairs(selections: Iterable[Any], parent: str, out: set[tuple[str, str]]) -> None:
    for selection in selections:
        name = getattr(selection, "name", None)
        children = getattr(selection, "selections", None) or []
        if name is None:  # an inline fragment or fragment spread: same parent
            _pairs(children, parent, out)
            continue
        out.add((parent, name))
        _pairs(children, name, out)


def selected_pairs(info: Info[Any, Any]) -> set[tuple[str, str]]:
    """Every (parent field, child field) pair selected below the current field."""
    out: set[tuple[str, str]] = set()
    for field in info.selected_fields:
        _pairs(field.selections, field.name, out)
    return out
