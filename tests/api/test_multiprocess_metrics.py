"""Several API processes: /metrics adds every process's samples up, with no _created series."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from infra.settings import Settings
from tests.api.served import serve
from tests.conftest import Database, token

PING = "query Ping { viewer { subject } }"


def _total(exposition: str) -> float:
    pattern = r'credit_graphql_requests_total\{operation="Ping",[^}]*\} ([0-9.e+]+)'
    return sum(float(v) for v in re.findall(pattern, exposition))


def test_two_processes_report_one_sum(
    database: Database, settings: Settings, tenants: dict[str, object], tmp_path: Path
) -> None:
    # given the API served by two uvicorn worker processes
    with serve(database, tmp_path, "--workers", "2") as base:
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
