"""Four eyes: two approvals mean two people, and the proposer is neither."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.four_eyes import check_approver, distinct_approvers
from domain.writeoff import CREDIT_MANAGER, FINANCE, check_approval

BOTH = frozenset({FINANCE, CREDIT_MANAGER})


def test_one_person_holding_both_roles_fills_one_approval_only() -> None:
    first = check_approval("carl", "one-person", BOTH, BOTH, frozenset())
    with pytest.raises(DomainError) as refused:
        check_approval("carl", "one-person", BOTH, BOTH, frozenset({first}), ["one-person"])
    assert (refused.value.code, refused.value.field) == ("SAME_APPROVER", "id")


def test_the_proposer_is_refused_before_anything_else() -> None:
    with pytest.raises(DomainError) as refused:
        check_approver("carl", "carl", ["carl"])
    assert refused.value.code == "SELF_APPROVAL"


SUBJECTS = st.sampled_from(["ann", "bob", "cat", "dan"])


@given(SUBJECTS, st.lists(SUBJECTS, max_size=4))
def test_approvals_the_rule_lets_through_are_four_eyes(proposer: str, approvers: list[str]) -> None:
    """Approving one after another, whatever the rule accepts keeps distinct people who are
    not the proposer; whatever it refuses would have broken that."""
    given: list[str] = []
    for approver in approvers:
        try:
            check_approver(proposer, approver, given)
        except DomainError:
            assert not distinct_approvers(proposer, [*given, approver])
            continue
        given.append(approver)
        assert distinct_approvers(proposer, given)
