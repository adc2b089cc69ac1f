"""Contagion through the partners graph: trouble at one company spreads to its group.

A severe warning on a customer raises a (by default medium) warning on the customers linked
to it as parent, subsidiary or guarantor, and on those sharing a controller (the same parent
or shareholder) with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from domain.warning_rules.levels import LEVEL_ORDER, Finding
from domain.warning_rules.rules import month_window

RULE = "CONTAGION"
#: Direct links that carry contagion, either way round.
DIRECT = frozenset({"PARENT", "SUBSIDIARY", "GUARANTOR"})
#: Relations naming a controller: customers with the same controller are linked.
CONTROLLING = frozenset({"PARENT", "SHAREHOLDER"})


@dataclass(frozen=True)
class Relation:
    """`related_id` is the customer's `kind` (its PARENT, its GUARANTOR ...)."""

    customer_id: str
    related_id: str
    kind: str


def links(relations: Iterable[Relation]) -> dict[str, dict[str, str]]:
    """Customer -> linked customer -> how (the first link found, by a stable order)."""
    out: dict[str, dict[str, str]] = {}

    def add(a: str, b: str, how: str) -> None:
        if a != b:
            out.setdefault(a, {}).setdefault(b, how)

    controlled: dict[str, list[str]] = {}
    for r in sorted(relations, key=lambda r: (r.kind, r.customer_id, r.related_id)):
        if r.kind in DIRECT:
            add(r.customer_id, r.related_id, r.kind)
            add(r.related_id, r.customer_id, r.kind)
        if r.kind in CONTROLLING:
            controlled.setdefault(r.related_id, []).append(r.customer_id)
    for members in controlled.values():
        for a in members:
            for b in members:
                add(a, b, "SHARED_CONTROLLER")
    return out


def spread(
    severe: Mapping[str, Iterable[str]],
    relations: Iterable[Relation],
    as_of: date,
    th: Mapping[str, int],
) -> list[Finding]:
    """Contagion findings: `severe` maps a customer to the rules that fired severe on it.

    One finding per linked customer naming every source; a customer that is itself a source
    already carries a severe warning and gets none.
    """
    graph = links(relations)
    sources: dict[str, list[dict[str, object]]] = {}
    for source in sorted(severe):
        for target, how in sorted(graph.get(source, {}).items()):
            if target in severe:
                continue
            rules = sorted(set(severe[source]))
            sources.setdefault(target, []).append(
                {"customerId": source, "link": how, "rules": rules}
            )
    level = LEVEL_ORDER[th["level"]]
    return [
        Finding(target, RULE, level, month_window(as_of), {"sources": found})
        for target, found in sorted(sources.items())
    ]
