"""Process-wide resources: where the database is, the app-role engine, tenant lookup, clock."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from dbschema import embedded
from dbschema.engine import create_engine, set_tenant
from dbschema.provision import plain, with_user
from dbschema.tenant_tables import tenant_profiles
from infra.clock import Clock, SystemClock
from infra.settings import Settings
from services.tenant.local_date import ZONES

EMBEDDED_DATABASE = "credit"
TENANT_CACHE_SECONDS = 60.0  #: a new tenant is usable at once; a renamed slug within a minute
T = TypeVar("T")


class DatabaseNotRunning(RuntimeError):
    """An admin command found no running platform database to work on."""


def admin_urls(settings: Settings) -> tuple[str, str]:
    """The running platform's database for an operator command: DATABASE_URL, or the
    embedded server already running under DATA_DIR. Never starts a server (a command pointed
    at the wrong DATA_DIR must not leave a second, empty one behind)."""
    if not settings.database_url and not embedded.is_running(settings.data_dir):
        raise DatabaseNotRunning(
            f"no platform database is running under DATA_DIR={settings.data_dir}: "
            "start it with `credit run` (or `make run`), or set DATABASE_URL"
        )
    return database_urls(settings)


def database_urls(settings: Settings) -> tuple[str, str]:
    """(owner URL, app-role URL); starts the embedded server when no DATABASE_URL is set."""
    if settings.database_url:
        owner = plain(settings.database_url)
    else:
        uri = embedded.start(settings.data_dir)
        owner = embedded.url_for(uri, EMBEDDED_DATABASE, "postgres")
    app = settings.app_database_url or with_user(
        owner, settings.app_db_role, settings.app_db_password
    )
    return owner, plain(app)


@dataclass
class Runtime:
    """What a process shares: settings, the engine, a small tenant cache, the clock."""

    settings: Settings
    owner_url: str
    app_url: str
    engine: AsyncEngine
    #: where requests and the scheduler read the time (tests set the hour here)
    clock: Clock = field(default_factory=SystemClock)
    _tenants: dict[str, tuple[UUID | None, float]] = field(default_factory=dict)
    _settings: dict[UUID, tuple[dict[str, Any], float]] = field(default_factory=dict)
    _reading: dict[tuple[str, object], asyncio.Future[Any]] = field(default_factory=dict)

    async def tenant_id(self, slug: str) -> UUID | None:
        """The id for a tenant slug, or None for an unknown tenant."""
        cached = self._tenants.get(slug)
        if cached is not None and cached[0] is not None:  # an unknown slug: asked again
            if time.monotonic() - cached[1] < TENANT_CACHE_SECONDS:
                return cached[0]
        return await self._once(("tenant", slug), lambda: self._read_tenant_id(slug))

    async def _read_tenant_id(self, slug: str) -> UUID | None:
        """The id, with the tenant's time zone read too: every principal's tenant then has a
        zone in the process's cache, and a request's date (Context.today) needs no read."""
        now = time.monotonic()
        async with self.engine.connect() as conn, conn.begin():
            tenant_id: UUID | None = await conn.scalar(
                sa.text("SELECT resolve_tenant(:s)"), {"s": slug}
            )
            if tenant_id is not None:  # on the same connection: a lookup stays one checkout
                await set_tenant(conn, str(tenant_id))
                zone = await conn.scalar(sa.select(tenant_profiles.c.time_zone))
                ZONES.remember(tenant_id, zone, now)
        self._tenants[slug] = (tenant_id, now)
        return tenant_id

    async def tenant_settings(self, tenant_id: UUID) -> dict[str, Any]:
        """A tenant's settings document, read at most once a minute per process (for values
        every request consults, such as the API limits)."""
        cached = self._settings.get(tenant_id)
        if cached and time.monotonic() - cached[1] < TENANT_CACHE_SECONDS:
            return cached[0]
        return await self._once(("settings", tenant_id), lambda: self._read_settings(tenant_id))

    async def _read_settings(self, tenant_id: UUID) -> dict[str, Any]:
        now = time.monotonic()
        async with self.engine.connect() as conn, conn.begin():
            await set_tenant(conn, str(tenant_id))
            value = await conn.scalar(sa.text("SELECT settings FROM tenants"))
        settings = value if isinstance(value, dict) else {}
        self._settings[tenant_id] = (settings, now)
        return settings

    async def _once(self, key: tuple[str, object], read: Callable[[], Awaitable[T]]) -> T:
        """One read at a time per key: the requests that find an entry stale together (every
        request of a busy tenant, once a minute) share one read instead of a connection each.
        A caller that goes away does not cancel the others' read."""
        loop = asyncio.get_running_loop()
        future = self._reading.get(key)
        if future is None or future.get_loop() is not loop:
            future = self._reading[key] = asyncio.ensure_future(read())
            future.add_done_callback(lambda done: self._forget(key, done))
        result: T = await asyncio.shield(future)
        return result

    def _forget(self, key: tuple[str, object], done: asyncio.Future[Any]) -> None:
        if self._reading.get(key) is done:
            del self._reading[key]
        if not done.cancelled():
            done.exception()  # retrieved here: every waiter may have gone away

    async def all_tenant_ids(self) -> list[UUID]:
        """Every tenant, for the scheduler's fan-out (a security-definer function)."""
        async with self.engine.connect() as conn:
            return list((await conn.execute(sa.text("SELECT tenant_ids()"))).scalars())

    async def close(self) -> None:
        """Release the pool."""
        await self.engine.dispose()


def open_runtime(settings: Settings) -> Runtime:
    """Build the runtime (no I/O beyond starting an embedded server if needed)."""
    owner, app = database_urls(settings)
    return Runtime(settings, owner, app, create_engine(app, settings.pool_size))
