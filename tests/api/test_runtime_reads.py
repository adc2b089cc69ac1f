"""The runtime's tenant caches: requests that find an entry stale together share one read."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from typing import Any

import pytest

from infra.runtime import Runtime


class CountingEngine:
    """The app engine, counting the connections asked of it."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.connections = 0

    def connect(self) -> Any:
        self.connections += 1
        return self.engine.connect()


def _fresh(runtime: Runtime) -> tuple[Runtime, CountingEngine]:
    counting = CountingEngine(runtime.engine)
    copy = dataclasses.replace(runtime, engine=counting, _tenants={}, _settings={}, _reading={})  # type: ignore[arg-type]
    return copy, counting


async def test_forty_requests_finding_the_caches_cold_make_one_read_each(
    runtime: Runtime, tenants: dict[str, uuid.UUID]
) -> None:
    rt, counting = _fresh(runtime)
    ids = await asyncio.gather(*(rt.tenant_id("acme") for _ in range(40)))
    assert set(ids) == {tenants["acme"]} and counting.connections == 1
    settings = await asyncio.gather(*(rt.tenant_settings(tenants["acme"]) for _ in range(40)))
    assert all(s == settings[0] for s in settings) and counting.connections == 2
    await rt.tenant_settings(tenants["acme"])  # fresh now: no read
    assert counting.connections == 2 and not rt._reading


async def test_a_caller_that_goes_away_leaves_the_shared_read_to_the_others(
    runtime: Runtime, tenants: dict[str, uuid.UUID]
) -> None:
    rt, counting = _fresh(runtime)
    first = asyncio.ensure_future(rt.tenant_settings(tenants["globex"]))
    second = asyncio.ensure_future(rt.tenant_settings(tenants["globex"]))
    await asyncio.sleep(0)
    first.cancel()
    assert isinstance(await second, dict) and counting.connections == 1
    with pytest.raises(asyncio.CancelledError):
        await first


async def test_a_failed_read_reaches_every_waiter_and_the_next_call_reads_again(
    runtime: Runtime, tenants: dict[str, uuid.UUID]
) -> None:
    rt, counting = _fresh(runtime)
    real = counting.engine

    class Broken:
        def connect(self) -> Any:
            raise ConnectionError("database away")

    counting.engine = Broken()
    results = await asyncio.gather(
        *(rt.tenant_settings(tenants["acme"]) for _ in range(5)), return_exceptions=True
    )
    assert all(isinstance(r, ConnectionError) for r in results) and counting.connections == 1
    counting.engine = real
    assert isinstance(await rt.tenant_settings(tenants["acme"]), dict)
    assert counting.connections == 2
