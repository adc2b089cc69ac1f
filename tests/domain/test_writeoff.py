"""Write-off approvals: who must approve, who may, and when it is enough."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.writeoff import (
    CREDIT_MANAGER,
    DEFAULT_DUAL_APPROVAL_THRESHOLD_MINOR,
    FINANCE,
    approvals_required,
    check_approval,
    fully_approved,
    missing_roles,
)

BOTH = frozenset({FINANCE, CREDIT_MANAGER})
THRESHOLD = DEFAULT_DUAL_APPROVAL_THRESHOLD_MINOR


def test_finance_always_and_the_credit_manager_only_above_the_threshold() -> None:
    assert approvals_required(THRESHOLD, THRESHOLD) == {FINANCE}
    assert approvals_required(THRESHOLD + 1, THRESHOLD) == BOTH
    assert approvals_required(1, 0) == BOTH  # a zero threshold: every write-off needs both


def test_an_approver_fills_a_role_still_open() -> None:
    role = check_approval("carl", "fay", frozenset({FINANCE, "collector"}), BOTH, frozenset())
    assert role == FINANCE
    late = check_approval("carl", "mia", BOTH, BOTH, frozenset({FINANCE}))
    assert late == CREDIT_MANAGER  # finance is given: the manager fills what is missing


@pytest.mark.parametrize(
    ("proposer", "approver", "roles", "already", "code"),
    [
        ("carl", "carl", BOTH, frozenset(), "SELF_APPROVAL"),
        ("carl", "sam", frozenset({"sales"}), frozenset(), "NOT_AN_APPROVER"),
        ("carl", "fay", frozenset({FINANCE}), frozenset({FINANCE}), "NOT_AN_APPROVER"),
        ("carl", "mia", BOTH, BOTH, "ALREADY_APPROVED"),
    ],
)
def test_refusals(
    proposer: str, approver: str, roles: frozenset[str], already: frozenset[str], code: str
) -> None:
    with pytest.raises(DomainError) as refused:
        check_approval(proposer, approver, roles, BOTH, already)
    assert (refused.value.code, refused.value.field) == (code, "id")


def test_fully_approved_once_every_required_role_is_given() -> None:
    assert not fully_approved(BOTH, frozenset({FINANCE}))
    assert fully_approved(BOTH, BOTH | {"extra"})
    assert fully_approved(frozenset({FINANCE}), frozenset({FINANCE}))


ROLES = st.frozensets(st.sampled_from([FINANCE, CREDIT_MANAGER, "collector", "sales"]))


@given(st.integers(1, 10**12), st.integers(0, 10**12), ROLES, ROLES)
def test_an_approval_only_ever_fills_a_missing_role_the_approver_holds(
    amount: int, threshold: int, roles: frozenset[str], already: frozenset[str]
) -> None:
    required = approvals_required(amount, threshold)
    assert FINANCE in required
    try:
        role = check_approval("carl", "fay", roles, required, already & required)
    except DomainError:
        return
    assert role in roles
    assert role in required - already


ROLES = st.sets(st.sampled_from(["finance", "credit_manager", "controller"]))


@given(required=ROLES, approved=ROLES)
def test_missing_roles_are_the_required_ones_not_yet_approved(required, approved):
    missing = missing_roles("PROPOSED", required, approved)
    assert missing == sorted(missing)
    assert set(missing) | (required & approved) == required
    assert not set(missing) & approved


@pytest.mark.parametrize("status", ["APPROVED", "POSTED", "REJECTED"])
def test_a_decided_proposal_misses_nothing(status):
    assert missing_roles(status, {"finance", "credit_manager"}, set()) == []
