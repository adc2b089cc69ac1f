"""The limitation clock, contagion, the lifecycle and SLA, responses and rule quality."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import dates
from domain.errors import DomainError, ValidationFailed
from domain.warning_rules import contagion, lifecycle, limitation, quality, responses
from domain.warning_rules import thresholds as t
from domain.warning_rules.levels import Level
from domain.warning_rules.lifecycle import Feedback, Status
from domain.warning_rules.limitation import Restart

TH = t.defaults()


def test_three_years_from_due_date_and_29_february() -> None:
    c = limitation.clock("i", "c", date(2024, 2, 29), [])
    assert (c.started_by, c.lapses_on) == ("DUE_DATE", date(2027, 2, 28))


def test_the_latest_restart_after_the_due_date_restarts_the_clock() -> None:
    restarts = [
        Restart("WRITTEN_DEMAND", date(2023, 1, 1)),  # before the due date: no effect
        Restart("PART_PAYMENT", date(2024, 5, 1)),
        Restart("PROMISE", date(2024, 9, 1)),
    ]
    c = limitation.clock("i", "c", date(2023, 6, 30), restarts)
    assert (c.started_on, c.started_by, c.lapses_on) == (
        date(2024, 9, 1),
        "PROMISE",
        date(2027, 9, 1),
    )


def test_warnings_90_and_30_days_before_lapse_one_per_customer() -> None:
    c = limitation.clock("i", "c", date(2023, 12, 31), [])
    th = TH[t.LIMITATION]
    assert limitation.warnings([c], date(2026, 10, 1), th) == []
    (first,) = limitation.warnings([c], date(2026, 10, 2), th)
    assert first.level is Level.MEDIUM and first.dedupe_key == ""
    (last,) = limitation.warnings([c], date(2026, 12, 1), th)
    assert last.level is Level.SEVERE
    assert first.window == last.window == "2026-12"
    assert last.facts["daysLeft"] == 30 and last.facts["lapsed"] == 0
    other = limitation.clock("j", "c", date(2023, 12, 2), [])
    gone = limitation.clock("k", "c", date(2020, 1, 1), [])
    elsewhere = limitation.clock("m", "d", date(2023, 12, 20), [])
    found = limitation.warnings([c, other, gone, elsewhere], date(2026, 12, 1), th)
    assert [
        (f.customer_id, f.window, f.level, f.facts["lapsed"], f.facts["lapsing"]) for f in found
    ] == [
        ("c", "LAPSED", Level.SEVERE, 1, 2),
        ("d", "2026-12", Level.SEVERE, 0, 1),
    ]
    assert [i["invoiceId"] for i in found[0].facts["invoices"]] == ["k", "j", "i"]


@given(
    st.dates(date(2000, 1, 1), date(2100, 1, 1)),
    # restarts are stored dates: the platform's range (domain.dates), as the database holds it
    st.lists(st.dates(dates.EARLIEST, dates.LATEST), max_size=5),
)
def test_a_clock_never_lapses_before_three_years_from_due(due: date, days: list[date]) -> None:
    c = limitation.clock("i", "c", due, [Restart("PROMISE", d) for d in days])
    assert c.started_on >= due
    assert c.lapses_on >= limitation.add_years(due, 3)


def test_contagion_reaches_parent_subsidiary_guarantor_and_siblings() -> None:
    rels = [
        contagion.Relation("sub", "parent", "PARENT"),
        contagion.Relation("sib", "parent", "PARENT"),
        contagion.Relation("x", "guar", "GUARANTOR"),
        contagion.Relation("x", "supplier", "KEY_SUPPLIER"),
    ]
    found = contagion.spread(
        {"sub": ["OVERDUE"], "x": ["LEGAL_RECORD"]}, rels, date(2026, 11, 30), TH[t.CONTAGION]
    )
    got = {f.customer_id: [(s["customerId"], s["link"]) for s in f.facts["sources"]] for f in found}
    assert got == {
        "parent": [("sub", "PARENT")],
        "sib": [("sub", "SHARED_CONTROLLER")],
        "guar": [("x", "GUARANTOR")],
    }
    assert {f.level for f in found} == {Level.MEDIUM}


def test_lifecycle_moves_and_refusals() -> None:
    assert lifecycle.move(Status.OPEN, Status.DISMISSED, None) is Feedback.FALSE_ALARM
    assert lifecycle.move(Status.INVESTIGATING, Status.RESOLVED, None) is Feedback.TRUE_ALARM
    assert lifecycle.move(Status.ACKNOWLEDGED, Status.INVESTIGATING, None) is None
    with pytest.raises(DomainError) as caught:
        lifecycle.move(Status.RESOLVED, Status.OPEN, None)
    assert caught.value.code == "INVALID_TRANSITION"


def test_sla_escalates_one_rung_while_open() -> None:
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    due = now - timedelta(hours=1)
    assert lifecycle.escalation(Status.OPEN, "sales", due, now, 24) == (
        "credit_analyst",
        now + timedelta(hours=24),
    )
    assert lifecycle.escalation(Status.ACKNOWLEDGED, "sales", due, now, 24) is None
    assert lifecycle.escalation(Status.OPEN, "admin", due, now, 24) is None
    assert lifecycle.escalation(Status.OPEN, "sales", now, now, 24) is None


def test_responses_default_and_configured() -> None:
    assert responses.plan({})[Level.SEVERE] == (
        responses.Action.CREDIT_HOLD,
        responses.Action.NOTIFY_LEGAL,
    )
    assert responses.plan({"LIGHT": []})[Level.LIGHT] == ()
    with pytest.raises(ValidationFailed) as caught:
        responses.validate({"HUGE": ["TASK"], "LIGHT": ["DANCE"], "MEDIUM": "TASK"})
    assert [e.code for e in caught.value.errors] == [
        "UNKNOWN_FIELD",
        "UNKNOWN_FIELD",
        "INVALID_THRESHOLD",
    ]


def test_quality_lead_times() -> None:
    got = quality.quality(
        ["OVERDUE", "LEGAL_RECORD"],
        {"OVERDUE": (5, 2, 1)},
        {("OVERDUE", "a"): date(2026, 1, 1), ("OVERDUE", "b"): date(2026, 12, 1)},
        {"a": date(2026, 3, 2), "b": date(2026, 6, 1)},
    )
    overdue, legal = got
    assert (overdue.fired, overdue.confirmed, overdue.false_alarms) == (5, 2, 1)
    assert [o.days_before for o in overdue.write_offs] == [60, None]
    assert overdue.caught == 1 and legal.caught == 0 and legal.fired == 0
