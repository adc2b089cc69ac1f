"""The client example programs, run as real processes against a live server."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from api.auth import issue_dev_token
from services.customers.master_data import CustomerChanges, create_customer
from services.customers.records import CustomerRecord
from services.uow import Actor, UnitOfWork
from services.warnings.signals import raise_warning
from tests.conftest import token

EXAMPLES = Path(__file__).parents[2] / "clients" / "examples"
NODE_DIR = EXAMPLES / "node"
#: Cursor of "before the first event": the subscriber replays everything, deterministically.
FROM_START = base64.urlsafe_b64encode(b"evt:0").decode()


@pytest.fixture(scope="module")
def node_ready() -> None:
    """The Node example's dependencies (make test installs them; install here if missing)."""
    if shutil.which("node") is None:
        pytest.fail("node is not installed (make test installs it)")
    if not (NODE_DIR / "node_modules" / "graphql-ws").exists():
        subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=NODE_DIR, check=True)


async def seed(runtime: Any, tenant: UUID, prefix: str, n: int) -> list[CustomerRecord]:
    """n customers with codes prefix-0 .. prefix-(n-1)."""
    rows = []
    async with UnitOfWork(runtime.engine, tenant, Actor("test")) as uow:
        for i in range(n):
            rows.append(
                await create_customer(
                    uow,
                    CustomerChanges(
                        code=f"{prefix}-{i}",
                        legal_name=f"{prefix} company {i}",
                        country="SE",
                        contacts=[],
                    ),
                )
            )
        await uow.commit()
    return rows


async def warn(runtime: Any, tenant: UUID, row: CustomerRecord, kind: str) -> None:
    """Raise and commit one warning."""
    async with UnitOfWork(runtime.engine, tenant, Actor("test")) as uow:
        await raise_warning(uow, row.id, kind, "MEDIUM", {"test": kind})
        await uow.commit()


async def run(
    cmd: list[str], env: dict[str, str], cwd: Path | None = None, limit: float = 30
) -> tuple[int, str, str]:
    """Run a program to completion without blocking the event loop."""
    proc = await asyncio.create_subprocess_exec(
        *cmd,
        env={**os.environ, **env},
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), limit)
    return proc.returncode or 0, out.decode(), err.decode()


async def test_python_lister_pages_through_its_tenant_only(live_server, settings, runtime, tenants):
    # given
    await seed(runtime, tenants["acme"], "A", 7)
    await seed(runtime, tenants["globex"], "G", 2)
    env = {"CREDIT_URL": live_server.url + "/graphql", "CREDIT_TOKEN": token(settings)}
    script = str(EXAMPLES / "python" / "list_customers.py")
    # when
    code, out, err = await run([sys.executable, script, "--page-size", "3", "--json"], env)
    bad_code, _, bad_err = await run(
        [sys.executable, script], {**env, "CREDIT_TOKEN": "not-a-token"}
    )
    # then
    assert code == 0, err
    codes = [json.loads(line)["code"] for line in out.splitlines()]
    assert codes == [f"A-{i}" for i in range(7)]
    assert bad_code == 1 and "UNAUTHENTICATED" in bad_err


async def test_node_subscriber_prints_its_tenants_warnings_and_resumes(
    node_ready, live_server, settings, runtime, tenants
):
    # given: a subscriber that replays from the start and stops after two events
    acme = await seed(runtime, tenants["acme"], "A", 2)
    globex = await seed(runtime, tenants["globex"], "G", 1)
    env = {"CREDIT_WS_URL": live_server.ws_url, "CREDIT_TOKEN": token(settings)}
    proc = await asyncio.create_subprocess_exec(
        "node",
        "subscribe-warnings.mjs",
        "--after",
        FROM_START,
        "--count",
        "2",
        cwd=NODE_DIR,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    # when: two acme warnings and one globex warning are raised
    await warn(runtime, tenants["acme"], acme[0], "FIRST")
    await warn(runtime, tenants["globex"], globex[0], "FOREIGN")
    await warn(runtime, tenants["acme"], acme[1], "SECOND")
    out, err = await asyncio.wait_for(proc.communicate(), 20)
    # then
    assert proc.returncode == 0, err.decode()
    events = [json.loads(line) for line in out.decode().splitlines()]
    assert [e["kind"] for e in events] == ["FIRST", "SECOND"]
    assert events[0]["level"] == "MEDIUM" and events[0]["customerCode"] == "A-0"
    # and resuming after the first event's cursor yields only the second
    code, again, err2 = await run(
        ["node", "subscribe-warnings.mjs", "--after", events[0]["cursor"], "--count", "1"],
        env,
        NODE_DIR,
    )
    assert code == 0, err2
    assert [json.loads(line)["kind"] for line in again.splitlines()] == ["SECOND"]


async def test_node_subscriber_with_bad_token_exits_1(node_ready, live_server):
    env = {"CREDIT_WS_URL": live_server.ws_url, "CREDIT_TOKEN": "expired-or-forged"}
    code, _, err = await run(["node", "subscribe-warnings.mjs"], env, NODE_DIR)
    assert code == 1
    assert "4403" in err


async def test_node_subscriber_renews_an_expired_token_and_misses_nothing(
    node_ready, live_server, settings, runtime, tenants, tmp_path
):
    # given: a first token that expires in two seconds and a command printing a fresh one
    acme = await seed(runtime, tenants["acme"], "A", 3)
    ttl = 2 - settings.jwt_leeway_seconds  # valid for two more seconds, leeway included
    short = issue_dev_token(settings, "acme", ["credit_manager"], "alice", ttl=ttl)
    fresh = tmp_path / "token"
    fresh.write_text(token(settings))
    calls = tmp_path / "calls"
    command = (
        f"echo x >> {calls}; "
        f"if [ $(wc -l < {calls}) -gt 1 ]; then cat {fresh}; else echo {short}; fi"
    )
    env = {"CREDIT_WS_URL": live_server.ws_url, "CREDIT_TOKEN_COMMAND": command}
    proc = await asyncio.create_subprocess_exec(
        "node",
        "subscribe-warnings.mjs",
        "--after",
        FROM_START,
        "--count",
        "3",
        cwd=NODE_DIR,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    # when: one warning before the expiry, two after it
    await warn(runtime, tenants["acme"], acme[0], "BEFORE")
    await asyncio.sleep(3.5)
    await warn(runtime, tenants["acme"], acme[1], "AFTER-1")
    await warn(runtime, tenants["acme"], acme[2], "AFTER-2")
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    # then: the socket was closed for the expiry, renewed, and every event arrived once
    assert proc.returncode == 0, err.decode()
    assert "token expired" in err.decode()
    kinds = [json.loads(line)["kind"] for line in out.decode().splitlines()]
    assert kinds == ["BEFORE", "AFTER-1", "AFTER-2"]
