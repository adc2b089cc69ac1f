"""`credit serve` as a real subprocess on the test database, for tests of several processes."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.conftest import Database, free_port


@contextlib.contextmanager
def serve(database: Database, data_dir: Path, *args: str, log: Path | None = None) -> Iterator[str]:
    """Start `credit serve` (extra `args`, e.g. "--workers", "2"); yield its base URL; stop it.
    Its standard error goes to the file `log` when given."""
    port = free_port()
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": database.owner_url,
        "APP_DATABASE_URL": database.app_url,
        "DATA_DIR": str(data_dir),
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    stderr = log.open("w") if log is not None else None
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=stderr if stderr is not None else subprocess.DEVNULL,
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
        yield base
    finally:
        process.terminate()
        process.wait(20)
        if stderr is not None:
            stderr.close()
