"""Four eyes: an approval that needs two approvers needs two people, neither the proposer.

Roles say who may approve; subjects say who did. One person holding both required roles is
still one person: the second approval must come from someone else. The write-off workflow
applies this rule, and so does every other workflow that asks for more than one approval.
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.errors import DomainError


def check_approver(
    proposer: str, approver: str, earlier_approvers: Iterable[str], field: str = "id"
) -> None:
    """Refuse the proposer (SELF_APPROVAL) and anyone who approved this request before
    (SAME_APPROVER); every approval of one request comes from a distinct subject."""
    if approver == proposer:
        raise DomainError("SELF_APPROVAL", "the proposer cannot approve their own request", field)
    if approver in set(earlier_approvers):
        raise DomainError(
            "SAME_APPROVER",
            "you approved this already: the next approval needs another person",
            field,
        )


def distinct_approvers(proposer: str, approvers: Iterable[str]) -> bool:
    """Whether a set of given approvals satisfies four eyes (for checks over stored rows)."""
    seen = list(approvers)
    return proposer not in seen and len(seen) == len(set(seen))
