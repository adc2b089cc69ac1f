"""Shared fixtures: one embedded PostgreSQL per session, a fresh database per test."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as dt_time
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import uvicorn
from asgi_lifespan import LifespanManager

from api.app import create_app
from api.auth import issue_dev_token
from dbschema import embedded
from dbschema.provision import ensure_database, migrate, with_database, with_user
from infra.runtime import Runtime, open_runtime
from infra.settings import Settings, load
from infra.tenants import create_tenant

TEMPLATE_DB = "credit_template"
_OWN_BASETEMP = pytest.StashKey[str]()


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """A temporary root of this session's own: pytest numbers its `pytest-N` directories per
    user and deletes all but the newest three, so concurrent sessions on one machine would
    delete each other's embedded PostgreSQL data under them."""
    if config.option.basetemp is None:
        config.option.basetemp = str(Path(tempfile.gettempdir()) / f"credit-tests-{os.getpid()}")
        config.stash[_OWN_BASETEMP] = config.option.basetemp


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the session's own temporary root (nobody else would)."""
    own = config.stash.get(_OWN_BASETEMP, None)
    if own:
        shutil.rmtree(own, ignore_errors=True)


@dataclass(frozen=True)
class Database:
    """A throwaway database: owner URL for setup and checks, app URL as the app sees it."""

    name: str
    owner_url: str
    app_url: str

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Run SQL as the owner (bypasses RLS) to check what was really written."""
        with psycopg.connect(self.owner_url, autocommit=True) as conn:
            cur = conn.execute(sql, params)  # type: ignore[arg-type]
            return cur.fetchall() if cur.description else []


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One embedded server for the whole session, with a migrated template database."""
    data_dir = Path(os.environ.get("TEST_PG_DIR") or tmp_path_factory.mktemp("pg"))
    uri = embedded.start(data_dir)
    owner = embedded.url_for(uri, TEMPLATE_DB, "postgres")
    with psycopg.connect(embedded.url_for(uri, "postgres", "postgres"), autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {TEMPLATE_DB} WITH (FORCE)")
    ensure_database(owner)
    migrate(owner, "credit_app")
    yield uri
    embedded.stop(data_dir)


@pytest.fixture
def database(pg_server: str) -> Iterator[Database]:
    """A fresh database cloned from the migrated template; dropped afterwards."""
    name = "t_" + uuid.uuid4().hex[:12]
    admin = embedded.url_for(pg_server, "postgres", "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE_DB}")
    owner = with_database(admin, name)
    yield Database(name, owner, with_user(owner, "credit_app", None))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def settings(database: Database) -> Settings:
    """Settings pointing at the test database (development JWT key, postgres broker)."""
    return load(
        {
            "env": "test",
            "database_url": database.owner_url,
            "app_database_url": database.app_url,
            "pool_size": 5,
        }
    )


@pytest.fixture
def tenants(database: Database) -> dict[str, uuid.UUID]:
    """Two tenants, so every test can check isolation."""
    return {
        slug: uuid.UUID(create_tenant(database.owner_url, slug, slug.title())[0])
        for slug in ("acme", "globex")
    }


class HostNoonClock:
    """Noon UTC of the host's date: a tenant in any zone from UTC-11 to UTC+11 then reads the
    host's `date.today()` as its business date, so tests expecting it hold at any hour."""

    def now(self) -> datetime:
        """Today's noon in UTC."""
        return datetime.combine(date.today(), dt_time(12), tzinfo=UTC)


@pytest.fixture
async def runtime(settings: Settings) -> AsyncIterator[Runtime]:
    """The app's runtime (engine as the app role) for service-level tests; its clock reads
    the host's date in every tenant (a test of the hour sets a clock of its own)."""
    rt = open_runtime(settings)
    rt.clock = HostNoonClock()
    yield rt
    await rt.close()


@pytest.fixture
async def client(
    settings: Settings, runtime: Runtime, tenants: dict[str, uuid.UUID]
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the ASGI app in-process, lifespan included."""
    app = create_app(settings, runtime)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            yield c


def token(
    settings: Settings,
    tenant: str = "acme",
    roles: list[str] | None = None,
    sub: str = "alice",
    ttl: int = 600,
) -> str:
    """A development token for a tenant and roles."""
    return issue_dev_token(settings, tenant, roles or ["credit_manager"], sub, ttl)


async def gql(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    bearer: str | None = None,
) -> dict[str, Any]:
    """POST a GraphQL operation and return the JSON body."""
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def free_port() -> int:
    """An unused loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    """A real uvicorn server in a thread, for WebSocket and client-program tests."""

    url: str
    ws_url: str
    server: uvicorn.Server
    thread: threading.Thread


@pytest.fixture
def live_server(settings: Settings, tenants: dict[str, uuid.UUID]) -> Iterator[LiveServer]:
    """Serve the app on a free port until the test ends."""
    port = free_port()
    app = create_app(settings)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("live server did not start")
        time.sleep(0.02)
    yield LiveServer(f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/graphql", server, thread)
    server.should_exit = True
    thread.join(10)
