"""Several API processes: a subscriber on any of them hears what any process committed, since
events come from the database, not from the process that wrote them."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from infra.settings import Settings
from tests.api.test_subscriptions import customer, subscribed, warn
from tests.conftest import Database, free_port, token


@dataclass
class Served:
    """Just the addresses `subscribed` reads."""

    url: str
    ws_url: str


@contextlib.contextmanager
def serve(database: Database, data_dir: Path) -> Iterator[Served]:
    """One `credit serve` process on the test database, stopped afterwards."""
    port = free_port()
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": database.owner_url,
        "APP_DATABASE_URL": database.app_url,
        "DATA_DIR": str(data_dir),
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            assert process.poll() is None, "server exited"
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        yield Served(base, f"ws://127.0.0.1:{port}/graphql")
    finally:
        process.terminate()
        process.wait(20)


async def test_subscribers_on_two_processes_both_hear_one_warning(
    database: Database, settings: Settings, runtime: Any, tenants: dict[str, Any], tmp_path: Path
) -> None:
    # given two API processes on one database, a subscriber on each
    row = await customer(runtime, tenants["acme"], "P-1")
    with serve(database, tmp_path / "a") as first, serve(database, tmp_path / "b") as second:
        bearer = token(settings)
        one = await subscribed(first, bearer)
        two = await subscribed(second, bearer)
        # when a third party (a job, another process) commits a warning
        await warn(runtime, tenants["acme"], row, "CREDIT_FILE_STALE", "SEVERE")
        # then both subscribers receive it, with the same cursor
        heard = await asyncio.gather(one.next(), two.next())
        events = [m["payload"]["data"]["warningRaised"] for m in heard]
        assert [e["warning"]["customerCode"] for e in events] == ["P-1", "P-1"]
        assert events[0]["cursor"] == events[1]["cursor"]
        await one.close()
        await two.close()
