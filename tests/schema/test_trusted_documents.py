"""Trusted documents: registered by hash, run by hash, and (with the setting) nothing else."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager

from api.app import create_app
from infra.runtime import Runtime
from infra.settings import Settings
from tests.conftest import Database, gql, token

REGISTER = """mutation R($input: RegisterTrustedDocumentInput!) {
  registerTrustedDocument(input: $input) {
    document { id name } replayed userErrors { field code message } } }"""
VIEWER = "query Me { viewer { subject tenant } }"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def register(client: httpx.AsyncClient, bearer: str, text: str) -> dict:  # type: ignore[type-arg]
    body = await gql(client, REGISTER, {"input": {"document": text, "name": "Me"}}, bearer=bearer)
    return body["data"]["registerTrustedDocument"]  # type: ignore[no-any-return]


async def test_register_then_run_by_hash(
    client: httpx.AsyncClient, settings: Settings, database: Database
) -> None:
    integrator = token(settings, roles=["integrator"], sub="app-build")
    # when an integrator registers a document, twice
    first = await register(client, integrator, VIEWER)
    again = await register(client, integrator, VIEWER)
    # then it is stored once under its SHA-256
    assert first["document"]["id"] == "sha256:" + digest(VIEWER)
    assert (first["replayed"], again["replayed"]) == (False, True)
    assert database.query("SELECT count(*) FROM trusted_documents") == [(1,)]
    # and a client sends only the hash, either way it is spelled
    bearer = token(settings)
    for body in (
        {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest(VIEWER)}}},
        {"documentId": "sha256:" + digest(VIEWER)},
    ):
        answer = (
            await client.post("/graphql", json=body, headers={"Authorization": f"Bearer {bearer}"})
        ).json()
        assert answer["data"]["viewer"] == {"subject": "alice", "tenant": "acme"}


async def test_unknown_hash_and_mismatch_are_clear_errors(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    bearer = {"Authorization": f"Bearer {token(settings)}"}
    unknown = (
        await client.post(
            "/graphql",
            json={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "ab" * 32}}},
            headers=bearer,
        )
    ).json()
    assert unknown["errors"][0]["message"] == "PersistedQueryNotFound"
    assert unknown["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    mismatch = (
        await client.post(
            "/graphql",
            json={
                "query": VIEWER,
                "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "cd" * 32}},
            },
            headers=bearer,
        )
    ).json()
    assert mismatch["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_MISMATCH"


async def test_invalid_documents_are_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, settings: Settings, database: Database
) -> None:
    integrator = token(settings, roles=["integrator"])
    bad = await register(client, integrator, "query { noSuchField }")
    empty = await register(client, integrator, "   ")
    assert bad["userErrors"][0]["code"] == "INVALID_DOCUMENT"
    assert bad["userErrors"][0]["field"] == "document"
    assert empty["userErrors"][0]["code"] == "REQUIRED"
    assert database.query("SELECT count(*) FROM trusted_documents") == [(0,)]
    # and sales may not register at all
    forbidden = await gql(
        client,
        REGISTER,
        {"input": {"document": VIEWER, "name": "x"}},
        bearer=token(settings, roles=["sales"]),
    )
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.fixture
async def locked_down(
    settings: Settings, runtime: Runtime, tenants: dict[str, object]
) -> AsyncIterator[httpx.AsyncClient]:
    """The API with TRUSTED_DOCUMENTS_ONLY on."""
    strict = Settings(**{**settings.__dict__, "trusted_documents_only": True})
    app = create_app(strict, runtime)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def test_only_registered_documents_run_when_locked_down(
    locked_down: httpx.AsyncClient, settings: Settings, database: Database
) -> None:
    bearer = token(settings)
    # given the registry holds one document (registered while the API was open)
    database.query(
        "INSERT INTO trusted_documents (tenant_id, id, name, body, created_by) "
        "SELECT id, %s, 'Me', %s, 'seed' FROM tenants WHERE slug = 'acme'",
        "sha256:" + digest(VIEWER),
        VIEWER,
    )
    # when an unregistered text arrives, then it is refused before it runs
    other = await gql(locked_down, "{ customers(first: 1) { totalCount } }", bearer=bearer)
    assert other.get("data") is None
    assert other["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"
    # and the registered one runs, by text or by hash
    by_text = await gql(locked_down, VIEWER, bearer=bearer)
    assert by_text["data"]["viewer"]["subject"] == "alice"
    by_hash = (
        await locked_down.post(
            "/graphql",
            json={"documentId": "sha256:" + digest(VIEWER)},
            headers={"Authorization": f"Bearer {bearer}"},
        )
    ).json()
    assert by_hash["data"]["viewer"]["tenant"] == "acme"
