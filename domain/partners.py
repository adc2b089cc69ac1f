"""Control links between customers (parent, subsidiary) read the same from either side.

The group a group limit covers is read from these links, so one pair cannot be parent and
subsidiary of each other, and one fact written from both sides would count twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from domain.credit_file import RelationKind
from domain.errors import DomainError

#: The two kinds that state control, as (owner, owned) read from a link (customer, related):
#: SUBSIDIARY says the related party is the customer's subsidiary, PARENT its parent.
_OWNERSHIP = {RelationKind.SUBSIDIARY: False, RelationKind.PARENT: True}


def ownership(customer: UUID, related: UUID, kind: str) -> tuple[UUID, UUID] | None:
    """Who controls whom in a link, as (owner, owned); None for links that state no control."""
    if kind not in _OWNERSHIP:
        return None
    reversed_ = _OWNERSHIP[RelationKind(kind)]
    return (related, customer) if reversed_ else (customer, related)


def ownership_conflict(
    customer: UUID, related: UUID, kind: str, on_file: Sequence[tuple[UUID, UUID, str]]
) -> DomainError | None:
    """Why a new link between two customers contradicts (or repeats) a control link on file."""
    wanted = ownership(customer, related, kind)
    if wanted is None:
        return None
    for c, r, k in on_file:
        held = ownership(c, r, k)
        if held == wanted:
            return DomainError(
                "DUPLICATE_RELATION", f"on file already, as the {k.lower()} link", "kind"
            )
        if held == (wanted[1], wanted[0]):
            return DomainError(
                "CONTRADICTORY_RELATION",
                f"the {k.lower()} link on file says the opposite; unlink it first",
                "kind",
            )
    return None
