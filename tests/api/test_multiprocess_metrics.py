"""Several API processes: /metrics adds every process's samples up, with no _created series."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from infra.settings import Settings
from tests.conftest import Database, free_port, token

PING = "query Ping { viewer { subject } }"


def _total(exposition: str) -> float:
    pattern = r'credit_graphql_requests_total\{operation="Ping",[^}]*\} ([0-9.e+]+)'
    return sum(float(v) for v in re.findall(pattern, exposition))


def test_two_processes_report_one_sum(
    database: Database, settings: Settings, tenants: dict[str, object], tmp_path: Path
) -> None:
    # given the API served by two uvicorn worker processes
    port = free_port()
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": database.owner_url,
        "APP_DATABASE_URL": database.app_url,
        "DATA_DIR": str(tmp_path),
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        # when 30 operations arrive on fresh connections (spread over both processes)
        headers = {"Authorization": f"Bearer {token(settings)}"}
        for _ in range(30):
            with httpx.Client(base_url=base) as fresh:
                assert fresh.post("/graphql", json={"query": PING}, headers=headers).is_success
        # then whichever process answers /metrics, it counts all 30, and no _created series
        for _ in range(6):
            with httpx.Client(base_url=base) as fresh:
                text = fresh.get("/metrics").text
            assert _total(text) == 30
            assert "_created" not in text
    finally:
        server.terminate()
        server.wait(20)
