"""The tenant's calendar: its date at an instant, and the per-process zone cache that keeps a
request's date free of database reads."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from infra.runtime import Runtime
from services.tenant import profile
from services.tenant.local_date import ZONES, ZoneCache, local_today
from services.uow import Actor, UnitOfWork
from tests.conftest import Database

EVENING_UTC = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)


class CountingCache(ZoneCache):
    """A zone cache that counts its database reads."""

    def __init__(self, ttl: float = 60.0) -> None:
        super().__init__(ttl)
        self.reads = 0

    async def _read(self, engine: AsyncEngine, tenant_id: uuid.UUID) -> ZoneInfo:
        self.reads += 1
        return await super()._read(engine, tenant_id)


def test_the_local_date_is_the_zones_not_utcs() -> None:
    assert local_today("Asia/Shanghai", EVENING_UTC) == date(2026, 12, 2)
    assert local_today(ZoneInfo("America/New_York"), EVENING_UTC) == date(2026, 12, 1)
    assert local_today("Mars/Olympus", EVENING_UTC) == date(2026, 12, 2)  # default zone
    with pytest.raises(ValueError):
        local_today("Asia/Shanghai", datetime(2026, 12, 1, 20, 0))


async def test_a_known_zone_costs_no_read(
    runtime: Runtime, tenants: dict[str, uuid.UUID], database: Database
) -> None:
    # given
    cache = CountingCache()
    acme = tenants["acme"]
    # when: the first ask reads, the next thousand do not
    first = await cache.zone(runtime.engine, acme)
    for _ in range(1000):
        assert cache.peek(runtime.engine, acme) == first
    # then
    assert first == ZoneInfo("Asia/Shanghai")
    assert cache.reads == 1


async def test_a_stale_zone_is_read_again_in_the_background(
    runtime: Runtime, tenants: dict[str, uuid.UUID], database: Database
) -> None:
    # given: a zone read, then changed behind the process's back
    cache = CountingCache(ttl=0.0)
    acme = tenants["acme"]
    await cache.zone(runtime.engine, acme)
    database.query(
        "INSERT INTO tenant_profiles (tenant_id, time_zone) VALUES (%s, 'Europe/Berlin')", acme
    )
    # when: a caller that cannot wait gets the old zone and starts a read; many such share it
    stale = [cache.peek(runtime.engine, acme) for _ in range(5)]
    await asyncio.sleep(0.5)
    # then
    assert stale == [ZoneInfo("Asia/Shanghai")] * 5
    assert cache.reads == 2
    assert cache.peek(runtime.engine, acme) == ZoneInfo("Europe/Berlin")


async def test_saving_the_profile_changes_the_zone_in_this_process_at_once(
    runtime: Runtime, tenants: dict[str, uuid.UUID]
) -> None:
    # given
    globex = tenants["globex"]
    await ZONES.zone(runtime.engine, globex)
    # when
    async with UnitOfWork(runtime.engine, globex, Actor("admin")) as uow:
        await profile.save(uow, 0, {"time_zone": "America/New_York"})
        await uow.commit()
    # then
    assert ZONES.peek(runtime.engine, globex) == ZoneInfo("America/New_York")
    assert await ZONES.zone(runtime.engine, globex) == ZoneInfo("America/New_York")
