"""Several API processes: each one writes the platform's JSON log lines."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from infra.settings import Settings
from tests.api.served import serve
from tests.conftest import Database, token


def test_every_worker_process_writes_json_request_lines(
    database: Database, settings: Settings, tenants: dict[str, object], tmp_path: Path
) -> None:
    # given the API served by two uvicorn worker processes, its standard error kept
    log = tmp_path / "serve.log"
    with serve(database, tmp_path, "--workers", "2", log=log) as base:
        # when ten operations arrive on fresh connections (spread over both processes)
        headers = {"Authorization": f"Bearer {token(settings)}"}
        for _ in range(10):
            with httpx.Client(base_url=base) as fresh:
                fresh.post("/graphql", json={"query": "{ __typename }"}, headers=headers)
    # then every line is a JSON object, and each request has its line with its request id
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    requests = [line for line in lines if line["msg"] == "request" and line["path"] == "/graphql"]
    assert len(requests) == 10
    assert {(r["status"], r["logger"]) for r in requests} == {(200, "credit.api")}
    assert len({r["request_id"] for r in requests}) == 10
    assert any(line["msg"] == "Application startup complete." for line in lines)
