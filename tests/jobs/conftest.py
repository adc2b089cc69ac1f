"""Job fixtures: a real Dramatiq worker process and the outbox relay in the test's loop."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from infra.runtime import Runtime
from infra.settings import Settings
from jobs.broker import make_broker
from jobs.relay import Relay
from tests.conftest import Database, free_port


def worker_env(
    database: Database, broker_url: str, extra_env: dict[str, str] | None = None
) -> dict[str, str]:
    """The environment a worker process runs in against the test database."""
    return {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": database.owner_url,
        "APP_DATABASE_URL": database.app_url,
        "BROKER_URL": broker_url,
        "LOG_LEVEL": "WARNING",
        **(extra_env or {}),
    }


def start_worker(
    database: Database, broker_url: str, extra_env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """`dramatiq jobs.worker` as a real process against the test database."""
    env = worker_env(database, broker_url, extra_env)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dramatiq",
            "jobs.worker",
            "--processes",
            "1",
            "--threads",
            "2",
            "--queues",
            "credit",
        ],
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def stop_process(proc: subprocess.Popen[bytes]) -> str:
    """Stop a worker and return what it printed (for failure messages)."""
    if proc.poll() is None:
        # dramatiq's main process only, as a supervisor should (api/supervisor.py): signalled
        # as a group, each worker got SIGTERM twice and the stop took the 15 s to the kill
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
    return (proc.stdout.read() if proc.stdout else b"").decode(errors="replace")


@pytest.fixture
def worker(database: Database) -> Iterator[subprocess.Popen[bytes]]:
    """A worker on the default broker (the same PostgreSQL)."""
    proc = start_worker(database, "postgres")
    yield proc
    stop_process(proc)


@pytest.fixture
async def relay(settings: Settings, runtime: Runtime) -> AsyncIterator[Relay]:
    """The outbox relay running in the test's event loop."""
    broker = make_broker(settings)
    r = Relay(runtime, broker)
    task = asyncio.create_task(r.run())
    yield r
    r.stop()
    await task
    broker.close()


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A real redis-server on a free loopback port, in a temporary directory."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed (make test installs it)")
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="redis-")
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            workdir,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(5)
    shutil.rmtree(workdir, ignore_errors=True)


async def wait_for(check: Callable[[], Any], limit: float = 30.0) -> Any:
    """Poll until check() is truthy (state lives in another process; there is no callback)."""
    deadline = time.monotonic() + limit
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {limit}s")
        await asyncio.sleep(0.1)
