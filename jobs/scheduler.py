"""The scheduler process: one leader (advisory lock) fires daily jobs; every instance relays."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from zoneinfo import ZoneInfo

import asyncpg
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from infra.runtime import open_runtime
from infra.settings import Settings, load
from jobs.broker import install
from jobs.relay import Relay
from jobs.schedule import request_due_jobs
from jobs.webhooks import Dispatcher

log = logging.getLogger("credit.scheduler")
LEADER_LOCK = 0x43524544  #: advisory lock key: only one scheduler fires schedules
#: Hourly: each tenant's day starts at 02:00 on its own clock (jobs.schedule.schedule_day),
#: and tenants live in different zones; a tick with nothing new due adds nothing.
TICK_CRON = "0 * * * *"


async def run(settings: Settings, stop: asyncio.Event) -> None:
    """Relay always; fire schedules while holding the leader lock; catch up on start."""
    runtime = open_runtime(settings)
    broker = install(settings)
    relay = Relay(runtime, broker)
    relay_task = asyncio.create_task(relay.run())
    dispatcher = Dispatcher(runtime, broker)
    dispatch_task = asyncio.create_task(dispatcher.run())
    tz = ZoneInfo(settings.schedule_tz)
    lock_conn = await asyncpg.connect(runtime.app_url)
    scheduler: AsyncIOScheduler | None = None
    try:
        while not stop.is_set():
            if await lock_conn.fetchval("SELECT pg_try_advisory_lock($1)", LEADER_LOCK):
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 10)
        if not stop.is_set():
            log.info("scheduler is leader")

            async def daily() -> None:
                queued = await request_due_jobs(runtime)
                log.info("daily jobs requested", extra={"tenants": len(queued)})

            await daily()  # catch up: each tenant's day is idempotent by dedupe key
            scheduler = AsyncIOScheduler(timezone=tz)
            scheduler.add_job(
                daily,
                CronTrigger.from_crontab(TICK_CRON, timezone=tz),
                id="daily-jobs",
                misfire_grace_time=3600,
                coalesce=True,
            )
            scheduler.start()
            await stop.wait()
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        relay.stop()
        dispatcher.stop()
        with contextlib.suppress(Exception):
            await relay_task
        with contextlib.suppress(Exception):
            await dispatch_task
        await lock_conn.close()
        await runtime.close()
        broker.close()


def main() -> None:
    """Entry point for `credit scheduler`."""
    from infra.logs import configure

    settings = load()
    configure(settings.log_level)
    stop = asyncio.Event()

    async def _main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run(settings, stop)

    asyncio.run(_main())
