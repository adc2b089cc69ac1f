"""The pure rule a partner link obeys: it never joins two groups that each have a group limit."""

from __future__ import annotations

from domain.partners import group_limits_conflict


def test_two_anchored_groups_cannot_be_joined() -> None:
    refusal = group_limits_conflict(["G1-P"], ["G2-P", "G2-S"])
    assert refusal is not None
    assert (refusal.code, refusal.field) == ("GROUP_LIMIT_EXISTS", "relatedId")
    assert "G1-P" in refusal.message and "G2-P, G2-S" in refusal.message


def test_a_group_without_a_limit_may_join_any() -> None:
    assert group_limits_conflict([], ["G2-P"]) is None
    assert group_limits_conflict(["G1-P"], []) is None
    assert group_limits_conflict([], []) is None
