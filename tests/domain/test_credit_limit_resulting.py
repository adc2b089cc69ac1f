"""A limit request's tier follows the credit it leaves in force; a stale request is refused."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit import policy_snapshot
from domain.credit.class_policy import effective
from domain.credit.limit_decision import check_current, decide_limit, resulting_limit
from domain.credit.limits import LimitInForce, LimitKind, LimitRecord, LimitScope, in_force
from domain.errors import DomainError
from domain.money import Money

DAY = date(2026, 6, 1)
STANDARD, TEMPORARY = LimitKind.STANDARD, LimitKind.TEMPORARY


def _record(seq: int, kind: LimitKind, yuan: int, start: date, end: date | None) -> LimitRecord:
    return LimitRecord(
        f"l{seq}", seq, LimitScope.CUSTOMER, kind, Money(yuan * 100, "CNY"), start, end
    )


def _cny(yuan: int) -> Money:
    return Money(yuan * 100, "CNY")


def test_an_increase_adds_to_the_standard_limit_and_the_running_increases() -> None:
    records = [
        _record(1, STANDARD, 2_000_000, date(2026, 1, 1), None),
        _record(2, TEMPORARY, 300_000, date(2026, 6, 10), date(2026, 6, 20)),
        _record(3, TEMPORARY, 500_000, date(2026, 5, 1), date(2026, 5, 31)),  # ended before
    ]
    month = (DAY, date(2026, 6, 30))
    # the 1,000,000 increase leaves 3,000,000 in force, 3,300,000 while the other one runs
    assert resulting_limit(records, TEMPORARY, _cny(1_000_000), *month) == _cny(3_300_000)
    assert resulting_limit(records[:1], TEMPORARY, _cny(1_000_000), *month) == _cny(3_000_000)
    # a new standard limit keeps the increase that runs beside it
    assert resulting_limit(records, STANDARD, _cny(900_000), DAY, None) == _cny(1_200_000)
    # an increase on a lapsed limit adds to nothing
    lapsed = [_record(1, STANDARD, 2_000_000, date(2025, 1, 1), date(2026, 5, 31))]
    assert resulting_limit(lapsed, TEMPORARY, _cny(50_000), *month) == _cny(50_000)


def test_a_larger_limit_coming_back_after_a_shorter_one_ends_counts() -> None:
    records = [
        _record(1, STANDARD, 5_000_000, date(2026, 1, 1), None),
        _record(2, STANDARD, 1_000_000, date(2026, 3, 1), date(2026, 6, 15)),
    ]
    # in force on the 1st: 1,000,000; from the 16th the older 5,000,000 is the newest valid
    assert resulting_limit(records, TEMPORARY, _cny(100), DAY, date(2026, 6, 30)) == _cny(5_000_100)
    assert resulting_limit(records, TEMPORARY, _cny(100), DAY, date(2026, 6, 15)) == _cny(1_000_100)


SPAN = 40
RECORDS = st.lists(
    st.tuples(
        st.sampled_from([STANDARD, TEMPORARY]),
        st.integers(1, 1_000),
        st.integers(-20, SPAN),
        st.one_of(st.none(), st.integers(0, SPAN)),
    ),
    max_size=6,
)


@given(RECORDS, st.sampled_from([STANDARD, TEMPORARY]), st.integers(0, 1_000), st.integers(0, 30))
def test_the_resulting_limit_is_the_peak_of_every_day(
    raw: list[Any], kind: LimitKind, amount: int, length: int
) -> None:
    records = []
    for seq, (record_kind, yuan, start, days) in enumerate(raw, 1):
        begins = DAY + timedelta(days=start)
        ends = begins + timedelta(days=days) if days is not None else None
        if record_kind == TEMPORARY and ends is None:
            ends = begins
        records.append(_record(seq, record_kind, yuan, begins, ends))
    end = DAY + timedelta(days=length)

    def on(day: date) -> int:
        force: LimitInForce = in_force(records, day)
        if kind == STANDARD:
            base = amount * 100
        else:
            lapsed = force.standard is None or force.expired
            base = (0 if lapsed or force.standard is None else force.standard.amount.minor) + (
                amount * 100
            )
        return base + sum(i.amount.minor for i in force.increases)

    brute = max(on(DAY + timedelta(days=n)) for n in range(length + 1))
    assert resulting_limit(records, kind, _cny(amount), DAY, end).minor == brute


def _snapshot(limits: list[LimitRecord] | None) -> dict[str, Any]:
    snapshot: dict[str, Any] = {
        "asOf": DAY.isoformat(),
        "policy": policy_snapshot.to_json(effective({}, 0)),
        "rates": [],
        "request": {
            "amount": {"minor": 100_000_000, "currency": "CNY"},
            "kind": "TEMPORARY",
            "scope": "CUSTOMER",
            "validFrom": DAY.isoformat(),
            "validTo": date(2026, 6, 30).isoformat(),
            "requestedBy": "ana",
        },
        "approvals": [{"approver": "max", "roles": ["credit_manager"]}],
        "rejectedBy": None,
        "recommendation": None,
    }
    if limits is not None:
        snapshot["limits"] = [r.to_json() for r in limits]
    return snapshot


def test_the_decision_tiers_on_the_resulting_limit_and_old_snapshots_on_the_amount() -> None:
    standard = [_record(1, STANDARD, 2_000_000, date(2026, 1, 1), None)]
    # with the 2,000,000 standard limit, 1,000,000 more needs two managers: one is not enough
    out = decide_limit(_snapshot(standard))
    assert (out["tier"], out["approvalsRequired"], out["status"]) == ("TWO_MANAGERS", 2, "PENDING")
    assert out["resultingInBase"] == {"minor": 300_000_000, "currency": "CNY"}
    # a snapshot filed before the rule (no limits in it) replays as it was decided
    old = decide_limit(_snapshot(None))
    assert (old["tier"], old["status"]) == ("MANAGER", "APPROVED")
    assert "resultingInBase" not in old


def test_a_request_filed_before_a_later_approval_is_stale() -> None:
    check_current(None, None)  # no limit then nor now
    check_current(7, 7)  # none approved since
    for seen, latest in ((None, 1), (7, 8)):
        with pytest.raises(DomainError) as exc:
            check_current(seen, latest)
        assert (exc.value.code, exc.value.field) == ("STALE_REQUEST", "id")
        # rejecting an application's request would lose its grant: the message says to
        # refile that one instead, and to request again otherwise
        assert "refileCreditApplicationLimit" in exc.value.message
        assert "request again" in exc.value.message
