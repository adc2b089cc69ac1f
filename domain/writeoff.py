"""Write-off approvals: finance always, the credit manager too above a threshold; each approval
from a different person, never the proposer (domain.four_eyes)."""

from __future__ import annotations

from collections.abc import Iterable

from domain.errors import DomainError
from domain.four_eyes import check_approver

#: Above 50,000.00 (two-decimal currency) a write-off also needs the credit manager's approval.
DEFAULT_DUAL_APPROVAL_THRESHOLD_MINOR = 5_000_000
FINANCE = "finance"
CREDIT_MANAGER = "credit_manager"


def approvals_required(amount_minor: int, threshold_minor: int) -> frozenset[str]:
    """Roles whose approval a write-off of this size needs."""
    if amount_minor > threshold_minor:
        return frozenset({FINANCE, CREDIT_MANAGER})
    return frozenset({FINANCE})


def check_approval(
    proposer: str,
    approver: str,
    approver_roles: frozenset[str],
    required: frozenset[str],
    already: frozenset[str],
    earlier_approvers: Iterable[str] = (),
) -> str:
    """The role this approval fills; refuses the proposer, a second approval by the same
    person (whatever roles they hold) and approvers with no open role."""
    check_approver(proposer, approver, earlier_approvers)
    missing = required - already
    if not missing:
        raise DomainError("ALREADY_APPROVED", "every required approval is given", "id")
    fillable = sorted(missing & approver_roles)
    if not fillable:
        raise DomainError(
            "NOT_AN_APPROVER", f"approval needed from {', '.join(sorted(missing))}", "id"
        )
    return fillable[0]


def fully_approved(required: frozenset[str], already: frozenset[str]) -> bool:
    """Whether nothing more is needed."""
    return required <= already


def missing_roles(status: str, required: Iterable[str], approved: Iterable[str]) -> list[str]:
    """Roles whose approval a proposal still waits for: none once it is decided (approved,
    posted or rejected), else the required roles no one has approved in yet."""
    if status != "PROPOSED":
        return []
    return sorted(set(required) - set(approved))
