"""Control links between customers (parent, subsidiary) read the same from either side.

The group a group limit covers is read from these links, so one pair cannot be parent and
subsidiary of each other, and one fact written from both sides would count twice; nor may a
link join two groups that each have a group limit (a group has one, on its anchor).
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


def group_limits_conflict(ours: Sequence[str], theirs: Sequence[str]) -> DomainError | None:
    """Why a link joining two groups would give the joined group two group limits: the anchors
    (customer codes) of each side, both non-empty. A check would then hold the whole group to
    both limits, each sized for one part, and a renewal on either anchor would be refused for
    naming the other, for ever (a lapsed group limit still anchors its group)."""
    if not ours or not theirs:
        return None
    return DomainError(
        "GROUP_LIMIT_EXISTS",
        f"the link would join the group with its group limit on {', '.join(ours)} to the "
        f"group with its group limit on {', '.join(theirs)}; a group has one group limit "
        "(a lapsed one still anchors its group), so a group link cannot join them",
        "relatedId",
    )
