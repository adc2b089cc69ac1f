"""CORS: allowed origins by setting; preflights answered; never credentials with a wildcard."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager

from api.app import create_app
from infra.runtime import Runtime
from infra.settings import Settings, SettingsError, load
from tests.conftest import token

PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type",
}


async def _client(settings: Settings, runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, runtime)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


@pytest.fixture
async def portal(settings: Settings, runtime: Runtime, tenants) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    """The API configured like production: one partner portal's origin, no localhost."""
    configured = Settings(
        **{
            **settings.__dict__,
            "cors_origins": ("https://portal.example",),
            "cors_origin_regex": None,
        }
    )
    async for client in _client(configured, runtime):
        yield client


async def test_development_allows_localhost_on_any_port(client: httpx.AsyncClient) -> None:
    # when a front-end on localhost:5173 asks before posting
    response = await client.options(
        "/graphql", headers={"Origin": "http://localhost:5173", **PREFLIGHT}
    )
    # then the preflight is answered for that origin
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert "authorization" in response.headers["access-control-allow-headers"].lower()


async def test_only_the_configured_origin_may_call(
    portal: httpx.AsyncClient, settings: Settings
) -> None:
    # given the portal's origin and a stranger's
    allowed = await portal.options(
        "/graphql", headers={"Origin": "https://portal.example", **PREFLIGHT}
    )
    refused = await portal.options(
        "/graphql", headers={"Origin": "https://evil.example", **PREFLIGHT}
    )
    local = await portal.options(
        "/graphql", headers={"Origin": "http://localhost:3000", **PREFLIGHT}
    )
    # then only the portal is allowed, and its real request carries the header too
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://portal.example"
    assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
    assert "access-control-allow-origin" not in local.headers
    answer = await portal.post(
        "/graphql",
        json={"query": "{ viewer { subject } }"},
        headers={"Origin": "https://portal.example", "Authorization": f"Bearer {token(settings)}"},
    )
    assert answer.headers["access-control-allow-origin"] == "https://portal.example"
    assert answer.headers["access-control-expose-headers"].lower() == "x-request-id"
    assert answer.json()["data"]["viewer"]["subject"] == "alice"


async def test_a_wildcard_never_allows_credentials(
    settings: Settings, runtime: Runtime, tenants
) -> None:  # type: ignore[no-untyped-def]
    configured = Settings(
        **{**settings.__dict__, "cors_origins": ("*",), "cors_origin_regex": None}
    )
    async for client in _client(configured, runtime):
        response = await client.options(
            "/graphql", headers={"Origin": "https://anyone.example", **PREFLIGHT}
        )
        assert response.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in response.headers


def test_production_refuses_plain_http_origins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", "postgresql://x@/y")
    monkeypatch.setenv("JWT_SECRET", "s" * 40)
    monkeypatch.setenv("CORS_ORIGINS", "http://portal.example")
    with pytest.raises(SettingsError):
        load()
    monkeypatch.setenv("CORS_ORIGINS", "https://portal.example")
    production = load()
    assert production.cors_origins == ("https://portal.example",)
    assert production.cors_origin_regex is None
