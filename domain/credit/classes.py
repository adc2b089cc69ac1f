"""Rating classes A-D: their order, caps, and what a change of class is."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from domain.errors import DomainError


class RatingClass(StrEnum):
    """A best, D worst: the source practice's four customer classes (ABCD四个等级)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


RANK = {RatingClass.A: 0, RatingClass.B: 1, RatingClass.C: 2, RatingClass.D: 3}


class Direction(StrEnum):
    """What a class change is, seen from the seller's risk."""

    INITIAL = "INITIAL"
    UPGRADE = "UPGRADE"
    DOWNGRADE = "DOWNGRADE"
    UNCHANGED = "UNCHANGED"


def parse_class(raw: str | None, field: str) -> RatingClass:
    """A, B, C or D (any case), else INVALID_INPUT."""
    try:
        return RatingClass((raw or "").strip().upper())
    except ValueError:
        raise DomainError("INVALID_INPUT", "a rating class is A, B, C or D", field) from None


def cap(value: RatingClass, ceiling: RatingClass) -> RatingClass:
    """The class no better than the ceiling (a knock-out caps, never lifts)."""
    return value if RANK[value] >= RANK[ceiling] else ceiling


def direction(before: RatingClass | None, after: RatingClass) -> Direction:
    """Upgrade, downgrade, unchanged, or the first class a customer ever gets."""
    if before is None:
        return Direction.INITIAL
    if before == after:
        return Direction.UNCHANGED
    return Direction.UPGRADE if RANK[after] < RANK[before] else Direction.DOWNGRADE


def check_second_approver(requester: str, approver: str, earlier: tuple[str, ...] = ()) -> None:
    """Four eyes: never the requester (SELF_APPROVAL); two approvals, two people (SAME_APPROVER)."""
    if approver == requester:
        raise DomainError("SELF_APPROVAL", "the requester cannot approve their own request", "id")
    if approver in earlier:
        raise DomainError("SAME_APPROVER", "a second approval needs a second person", "id")


def class_decision(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """A logged class decision recomputed from its snapshot (what the replay compares): the
    class chosen and which way it moved from the one before."""
    before = snapshot.get("from")
    after = parse_class(snapshot.get("to"), "ratingClass")  # refused when the snapshot lacks it
    way = direction(RatingClass(before) if before else None, after)
    return {"outcome": after.value, "ratingClass": after.value, "direction": way.value}
