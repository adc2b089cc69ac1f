"""The tenant's calendar: its time zone, cached per process, and its date at an instant.

Hosts run on UTC while a seller works by its profile's zone (Asia/Shanghai unless it chose
another): from 00:00 to 08:00 in Beijing the UTC date is still yesterday's. Every "today" of
a request or a scheduled job is the tenant's local date, computed by `local_today`.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from datetime import date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from dbschema.tenant_tables import tenant_profiles
from services.read_session import ReadSession
from services.uow import UnitOfWork

DEFAULT_TIME_ZONE = "Asia/Shanghai"  #: the source practice's sellers are in China
ZONE_CACHE_SECONDS = 60.0  #: a zone changed through another process is seen within a minute
#: After a change of zone, a read is not cached for this long: the saving transaction may not
#: have committed yet, and a read before its commit would keep the old zone for a minute.
SETTLE_SECONDS = 5.0
log = logging.getLogger("credit.tenant")


def zone_named(name: str | None) -> ZoneInfo:
    """The zone of a stored name: the default for none, or for one tzdata no longer knows."""
    try:
        return ZoneInfo(name or DEFAULT_TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone, using the default", extra={"zone": name})
        return ZoneInfo(DEFAULT_TIME_ZONE)


DEFAULT_ZONE = zone_named(DEFAULT_TIME_ZONE)


def local_today(zone: ZoneInfo | str, now: datetime) -> date:
    """The tenant's business date at an aware instant: its own calendar's, not the host's."""
    if now.tzinfo is None:
        raise ValueError("now must be time-zone aware")
    return now.astimezone(zone if isinstance(zone, ZoneInfo) else zone_named(zone)).date()


async def zone_in(uow: UnitOfWork) -> ZoneInfo:
    """The zone read inside a unit of work (a scheduled job's run: always the stored one)."""
    return zone_named(await uow.conn.scalar(sa.select(tenant_profiles.c.time_zone)))


class ZoneCache:
    """Tenant to time zone for one process, so a request's date costs no read of its own."""

    def __init__(self, ttl: float = ZONE_CACHE_SECONDS) -> None:
        self.ttl = ttl
        self._zones: dict[UUID, tuple[ZoneInfo, float]] = {}  #: zone, when its read began
        self._unsettled: dict[UUID, float] = {}  #: reads begun before this are not cached
        self._reading: dict[UUID, asyncio.Future[ZoneInfo]] = {}

    def peek(self, engine: AsyncEngine, tenant_id: UUID) -> ZoneInfo | None:
        """The zone known now (None before the first read) for callers that cannot wait;
        one older than the TTL is read again in the background."""
        entry = self._zones.get(tenant_id)
        if entry is None or time.monotonic() - entry[1] >= self.ttl:
            try:
                self._refresh(engine, tenant_id)
            except RuntimeError:  # no running event loop: nothing to read on
                pass
        return entry[0] if entry is not None else None

    async def zone(self, engine: AsyncEngine, tenant_id: UUID) -> ZoneInfo:
        """The zone, waiting for a read only when this process has never read it."""
        known = self.peek(engine, tenant_id)
        if known is not None:
            return known
        return await asyncio.shield(self._refresh(engine, tenant_id))

    def remember(self, tenant_id: UUID, name: str | None, began: float) -> ZoneInfo:
        """Keep a zone read at `began` (time.monotonic()), here or by whoever resolves the
        tenant; a read begun before a change in this process settled is not trusted."""
        zone = zone_named(name)
        settled = began >= self._unsettled.get(tenant_id, -math.inf)
        self._zones[tenant_id] = (zone, began if settled else -math.inf)
        if settled:
            self._unsettled.pop(tenant_id, None)
        return zone

    def changing(self, tenant_id: UUID, name: str) -> None:
        """The tenant's zone is being changed in this process: date by the new one at once,
        and read it again until the change has settled (committed, or rolled back)."""
        self._unsettled[tenant_id] = time.monotonic() + SETTLE_SECONDS
        self._zones[tenant_id] = (zone_named(name), -math.inf)

    def _refresh(self, engine: AsyncEngine, tenant_id: UUID) -> asyncio.Future[ZoneInfo]:
        """One read at a time per tenant, shared by whoever finds the zone stale meanwhile."""
        loop = asyncio.get_running_loop()
        future = self._reading.get(tenant_id)
        if future is None or future.get_loop() is not loop:
            future = self._reading[tenant_id] = asyncio.ensure_future(self._read(engine, tenant_id))
            future.add_done_callback(lambda done: self._done(tenant_id, done))
        return future

    async def _read(self, engine: AsyncEngine, tenant_id: UUID) -> ZoneInfo:
        began = time.monotonic()
        session = ReadSession(engine, tenant_id)
        try:
            name = await session.run(lambda c: c.scalar(sa.select(tenant_profiles.c.time_zone)))
        finally:
            await session.close()
        return self.remember(tenant_id, name, began)

    def _done(self, tenant_id: UUID, done: asyncio.Future[ZoneInfo]) -> None:
        if self._reading.get(tenant_id) is done:
            del self._reading[tenant_id]
        if not done.cancelled() and done.exception() is not None:  # a background read's
            log.warning("time zone read failed", exc_info=done.exception())


#: The process's cache (a profile saved in this process updates its entry at once).
ZONES = ZoneCache()


async def today(engine: AsyncEngine, tenant_id: UUID, now: datetime) -> date:
    """The tenant's date at `now`, its zone from the process's cache."""
    return local_today(await ZONES.zone(engine, tenant_id), now)
