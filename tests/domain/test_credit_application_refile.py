"""An application's limit request gone stale: shown as STALE, re-filed only then, and never
approved by the manager who granted it (the pure rules)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from domain.credit import policy_snapshot
from domain.credit.application_limits import LimitStatus, check_refile, limit_status
from domain.credit.applications import Grant
from domain.credit.class_policy import effective
from domain.credit.limit_decision import decide_limit, is_stale
from domain.credit.limits import ApprovalTier, check_approval, tier_requirement
from domain.errors import DomainError
from domain.money import Money

DAY = date(2026, 6, 1)
GRANT = Grant(Money(8_000_000, "CNY"), "NET30", date(2026, 5, 1), None)


def test_a_request_is_stale_once_a_limit_newer_than_the_one_its_filer_saw_is_approved() -> None:
    assert not is_stale(None, None)  # no limit then nor now
    assert not is_stale(7, 7)  # none approved since
    assert is_stale(None, 1)  # the first limit came after it
    assert is_stale(7, 8)


@pytest.mark.parametrize(
    ("request_status", "stale", "shown"),
    [
        (None, False, None),  # nothing granted, no request
        ("PENDING", False, LimitStatus.PENDING),
        ("PENDING", True, LimitStatus.STALE),
        # a decided request is what it is: a later limit does not change its outcome
        ("APPROVED", True, LimitStatus.APPROVED),
        ("REJECTED", True, LimitStatus.REJECTED),
    ],
)
def test_the_application_shows_a_stale_pending_request_as_stale(
    request_status: str | None, stale: bool, shown: LimitStatus | None
) -> None:
    assert limit_status(request_status, stale) == shown


def test_only_a_stale_grant_still_running_is_refiled() -> None:
    check_refile(LimitStatus.STALE, GRANT, DAY)  # passes
    check_refile(LimitStatus.STALE, GRANT, date(2199, 12, 31))  # open-ended
    cases: list[tuple[LimitStatus | None, str]] = [
        (None, "nothing was granted"),
        (LimitStatus.PENDING, "approve it"),
        (LimitStatus.APPROVED, "in force"),
        (LimitStatus.REJECTED, "rejected"),
    ]
    for status, said in cases:
        with pytest.raises(DomainError) as exc:
            check_refile(status, GRANT if status else None, DAY)
        assert (exc.value.code, exc.value.field) == ("INVALID_STATUS", "id"), status
        assert said in exc.value.message
    # a grant whose period has ended is not filed again: a new application decides
    ended = Grant(GRANT.limit, "NET30", date(2026, 1, 1), DAY - timedelta(days=1))
    with pytest.raises(DomainError) as exc:
        check_refile(LimitStatus.STALE, ended, DAY)
    assert (exc.value.code, exc.value.field) == ("INVALID_PERIOD", "id")
    check_refile(LimitStatus.STALE, Grant(GRANT.limit, None, date(2026, 1, 1), DAY), DAY)


def test_the_manager_who_granted_a_limit_never_approves_it() -> None:
    analyst = tier_requirement(ApprovalTier.ANALYST)
    manager = frozenset({"credit_manager"})
    # re-filed by someone else, the grant's decider is still not a second pair of eyes
    with pytest.raises(DomainError) as exc:
        check_approval("ana", "max", manager, analyst, [], granted_by="max")
    assert (exc.value.code, exc.value.field) == ("SELF_APPROVAL", "id")
    assert "granted" in exc.value.message
    assert check_approval("ana", "mia", manager, analyst, [], granted_by="max") == (
        "credit_manager"
    )


def _snapshot(approver: str, granted_by: str | None) -> dict[str, Any]:
    request: dict[str, Any] = {
        "amount": {"minor": 8_000_000, "currency": "CNY"},
        "kind": "STANDARD",
        "scope": "CUSTOMER",
        "validFrom": DAY.isoformat(),
        "validTo": None,
        "requestedBy": "ana",
    }
    if granted_by is not None:
        request["grantedBy"] = granted_by
    return {
        "asOf": DAY.isoformat(),
        "policy": policy_snapshot.to_json(effective({}, 0)),
        "rates": [],
        "request": request,
        "approvals": [{"approver": approver, "roles": ["credit_manager"]}],
        "rejectedBy": None,
        "recommendation": None,
        "limits": [],
    }


def test_the_decision_replays_the_granters_exclusion() -> None:
    # a snapshot without grantedBy (any request filed by hand, or before) decides as before
    assert decide_limit(_snapshot("max", None))["status"] == "APPROVED"
    assert decide_limit(_snapshot("mia", "max"))["status"] == "APPROVED"
    with pytest.raises(DomainError) as exc:
        decide_limit(_snapshot("max", "max"))
    assert exc.value.code == "SELF_APPROVAL"
