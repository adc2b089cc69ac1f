"""Where an application's granted limit stands, and when its request may be filed again.

A grant takes effect only with the limit request it filed (basis APPLICATION), which the
tenant's matrix approves like any other. When a later limit of the customer is approved
first, that request is stale (domain.credit.limit_decision.is_stale): approving it would
undo the later limit, so it never will be. The application shows it as STALE, and only then
may its grant be filed again against the limit now in force (a new request, a new tier, new
approvals), so a rejected limit or one still awaiting approval is never filed twice.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from domain.credit.applications import Grant
from domain.errors import DomainError


class LimitStatus(StrEnum):
    """Where the limit an application granted stands."""

    PENDING = "PENDING"
    STALE = "STALE"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


def limit_status(request_status: str | None, stale: bool) -> LimitStatus | None:
    """The request's own status, but STALE for a pending one a later limit overtook (None:
    nothing was granted, so no request was filed)."""
    if request_status is None:
        return None
    if request_status == LimitStatus.PENDING and stale:
        return LimitStatus.STALE
    return LimitStatus(request_status)


#: Why each other status cannot be filed again, and what to do instead.
_NOT_STALE = {
    LimitStatus.PENDING: "its limit request is current and awaits approval: approve it",
    LimitStatus.APPROVED: "its limit is in force already",
    LimitStatus.REJECTED: "its limit was rejected: a new application is decided anew",
}


def check_refile(status: LimitStatus | None, granted: Grant | None, today: date) -> None:
    """Only a stale grant is filed again, and only while its period still runs on `today`
    (one that has ended would only be filed to lapse: a new application decides)."""
    if status is None or granted is None:
        raise DomainError("INVALID_STATUS", "nothing was granted: there is no limit to file", "id")
    if status != LimitStatus.STALE:
        raise DomainError("INVALID_STATUS", _NOT_STALE[status], "id")
    if granted.valid_to is not None and granted.valid_to < today:
        raise DomainError(
            "INVALID_PERIOD",
            f"the grant ended on {granted.valid_to}: a new application is decided anew",
            "id",
        )
