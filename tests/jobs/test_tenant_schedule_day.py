"""The scheduler dates each tenant's jobs by its own clock: the day turns at 02:00 local, so
20:00 UTC on 1 December asks for Beijing's 2 December and New York's 1 December."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from infra.runtime import Runtime
from jobs.schedule import request_due_jobs, schedule_day
from tests.api.test_tenant_today import FixedClock
from tests.conftest import Database

BEIJING = ZoneInfo("Asia/Shanghai")


def keys(database: Database, tenant_id: uuid.UUID) -> set[str]:
    """The dedupe keys of the jobs requested for a tenant."""
    rows = database.query("SELECT dedupe_key FROM jobs WHERE tenant_id = %s", tenant_id)
    return {r[0] for r in rows}


def new_york(database: Database, tenant_id: uuid.UUID) -> None:
    """Move a tenant's profile to New York."""
    database.query(
        "INSERT INTO tenant_profiles (tenant_id, time_zone) VALUES (%s, 'America/New_York')",
        tenant_id,
    )


@pytest.mark.parametrize(
    ("utc", "day"),
    [
        (datetime(2026, 12, 1, 17, 59, tzinfo=UTC), "2026-12-01"),  # 01:59 in Beijing
        (datetime(2026, 12, 1, 18, 0, tzinfo=UTC), "2026-12-02"),  # 02:00 in Beijing
        (datetime(2026, 12, 1, 20, 0, tzinfo=UTC), "2026-12-02"),
        (datetime(2026, 12, 2, 15, 59, tzinfo=UTC), "2026-12-02"),  # 23:59 in Beijing
    ],
)
def test_the_day_turns_at_two_in_the_morning_local(utc: datetime, day: str) -> None:
    assert schedule_day(utc, BEIJING).isoformat() == day


async def test_each_tenant_is_asked_for_its_own_day(
    runtime: Runtime, tenants: dict[str, uuid.UUID], database: Database
) -> None:
    # given: acme in Beijing (the default), globex in New York; 20:00 UTC on 1 December
    new_york(database, tenants["globex"])
    runtime.clock = FixedClock(datetime(2026, 12, 1, 20, 0, tzinfo=UTC))
    # when: an hourly tick, twice
    first = await request_due_jobs(runtime)
    second = await request_due_jobs(runtime)
    # then: each tenant's sweeps, aging and reminders carry its own date, once
    assert first == second
    assert {"review:2026-12-02", "aging:2026-12-02", "collections:2026-12-02"} <= keys(
        database, tenants["acme"]
    )
    assert {"review:2026-12-01", "aging:2026-12-01", "collections:2026-12-01"} <= keys(
        database, tenants["globex"]
    )
    daily = ("review:", "aging:", "collections:", "credit-sweep:", "warning-rules:")
    acme_daily = {k for k in keys(database, tenants["acme"]) if k.startswith(daily)}
    assert acme_daily and all(k.endswith(":2026-12-02") for k in acme_daily)


async def test_statements_by_the_fifth_and_reclassification_follow_the_local_month(
    runtime: Runtime, tenants: dict[str, uuid.UUID], database: Database
) -> None:
    # given: 18:00 UTC on 5 December is 02:00 on the 6th in Beijing, 13:00 on the 5th in
    # New York
    new_york(database, tenants["globex"])
    runtime.clock = FixedClock(datetime(2026, 12, 5, 18, 0, tzinfo=UTC))
    # when
    await request_due_jobs(runtime)
    # then: New York is still within the 5th, Beijing is past it
    assert "statements:2026-11-01" in keys(database, tenants["globex"])
    assert "statements:2026-11-01" not in keys(database, tenants["acme"])
    assert "reclassify:2026-12-01" in keys(database, tenants["acme"])


async def test_an_explicit_day_is_every_tenants(
    runtime: Runtime, tenants: dict[str, uuid.UUID], database: Database
) -> None:
    # given
    new_york(database, tenants["globex"])
    runtime.clock = FixedClock(datetime(2026, 12, 1, 20, 0, tzinfo=UTC))
    # when: a catch-up by hand for one date
    await request_due_jobs(runtime, date(2026, 11, 20))
    # then
    assert "review:2026-11-20" in keys(database, tenants["acme"])
    assert "review:2026-11-20" in keys(database, tenants["globex"])
