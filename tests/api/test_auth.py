"""Bearer JWT: every malformed, forged or foreign token is UNAUTHENTICATED; roles FORBIDDEN."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import httpx
import jwt
import pytest
from asgi_lifespan import LifespanManager
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from api.app import create_app
from api.auth import AuthError, TokenVerifier, issue_dev_token
from infra.settings import DEV_SECRET, Settings, SettingsError, load
from tests.conftest import gql, token

QUERY = "query { customers(first: 1) { totalCount } }"
CREATE = """mutation { createCustomer(input: {code: "X-1", legalName: "X", country: "SE"}) {
  customer { id } userErrors { code } } }"""


def claims(**override: Any) -> dict[str, Any]:
    """Valid claims for tenant acme, overridable."""
    now = int(time.time())
    base = {
        "sub": "mallory",
        "tenant": "acme",
        "roles": ["credit_manager"],
        "iat": now,
        "exp": now + 600,
        "iss": "credit-platform",
        "aud": "credit-api",
    }
    base.update(override)
    return {k: v for k, v in base.items() if v is not None}


def b64(data: bytes) -> str:
    """JWS base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(header: dict[str, Any], payload: dict[str, Any], key: bytes | None) -> str:
    """Hand-made JWS, to build tokens a library refuses to sign (alg none, key confusion)."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    if key is None:
        return signing_input + "."
    sig = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(sig)}"


def code_of(body: dict[str, Any]) -> str:
    """The extensions.code of the first error."""
    return body["errors"][0]["extensions"]["code"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda s: None, id="missing"),
        pytest.param(lambda s: "not-a-jwt", id="garbage"),
        pytest.param(
            lambda s: jwt.encode(claims(exp=int(time.time()) - 120), s.jwt_secret, "HS256"),
            id="expired",
        ),
        pytest.param(
            lambda s: jwt.encode(claims(), "another-secret-of-at-least-32-chars!!", "HS256"),
            id="wrong-key",
        ),
        pytest.param(lambda s: forge({"alg": "none", "typ": "JWT"}, claims(), None), id="alg-none"),
        pytest.param(
            lambda s: jwt.encode(claims(tenant=None), s.jwt_secret, "HS256"), id="missing-tenant"
        ),
        pytest.param(
            lambda s: jwt.encode(claims(aud=None), s.jwt_secret, "HS256"), id="missing-aud"
        ),
        pytest.param(
            lambda s: jwt.encode(claims(roles=None), s.jwt_secret, "HS256"), id="missing-roles"
        ),
        pytest.param(
            lambda s: jwt.encode(claims(aud="someone-else"), s.jwt_secret, "HS256"),
            id="wrong-audience",
        ),
        pytest.param(
            lambda s: jwt.encode(claims(iss="evil"), s.jwt_secret, "HS256"), id="wrong-issuer"
        ),
        pytest.param(
            lambda s: jwt.encode(claims(tenant="nope"), s.jwt_secret, "HS256"), id="unknown-tenant"
        ),
        pytest.param(
            lambda s: jwt.encode(claims(roles="admin"), s.jwt_secret, "HS256"),
            id="roles-not-a-list",
        ),
    ],
)
async def test_bad_tokens_are_unauthenticated_and_write_nothing(
    client, settings, database, make_token
):
    # given
    bad = make_token(settings)
    # when
    read = await gql(client, QUERY, bearer=bad)
    write = await gql(client, CREATE, bearer=bad)
    # then
    assert code_of(read) == "UNAUTHENTICATED"
    assert code_of(write) == "UNAUTHENTICATED"
    assert read["data"] == {"customers": None}  # the refused field is null, nothing more
    assert database.query("SELECT count(*) FROM customers") == [(0,)]
    assert database.query("SELECT count(*) FROM audit_log") == [(0,)]


async def test_non_bearer_scheme_is_refused(client):
    response = await client.post(
        "/graphql", json={"query": QUERY}, headers={"Authorization": "Basic YWxpY2U6c2VjcmV0"}
    )
    assert code_of(response.json()) == "UNAUTHENTICATED"


async def test_role_without_permission_is_forbidden(client, settings, database):
    # given: a viewer may read but not write
    viewer = token(settings, roles=["viewer"])
    # when
    read = await gql(client, QUERY, bearer=viewer)
    write = await gql(client, CREATE, bearer=viewer)
    # then
    assert read["data"]["customers"]["totalCount"] == 0
    assert code_of(write) == "FORBIDDEN"
    assert database.query("SELECT count(*) FROM customers") == [(0,)]


async def test_leeway_is_bounded(client, settings):
    # a token expired 30 s ago is inside the 30 s leeway; 90 s ago is not
    fresh = jwt.encode(claims(exp=int(time.time()) - 20), settings.jwt_secret, "HS256")
    stale = jwt.encode(claims(exp=int(time.time()) - 90), settings.jwt_secret, "HS256")
    assert "errors" not in await gql(client, QUERY, bearer=fresh)
    assert code_of(await gql(client, QUERY, bearer=stale)) == "UNAUTHENTICATED"


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    """One RSA key per module (generation is slow-ish)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(key: rsa.RSAPrivateKey) -> bytes:
    """The PEM of the public half."""
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


async def _client_for(settings: Settings) -> Any:
    app = create_app(settings)
    return LifespanManager(app)


async def test_rs256_accepts_rsa_and_refuses_hmac_key_confusion(
    settings, tenants, rsa_key, database
):
    # given: a production-style RS256 configuration with a PEM public key
    rs = load(
        {
            "env": "test",
            "database_url": settings.database_url,
            "app_database_url": settings.app_database_url,
            "jwt_algorithms": ("RS256",),
            "jwt_secret": None,
            "jwt_public_key": public_pem(rsa_key).decode(),
        }
    )
    good = jwt.encode(claims(), rsa_key, "RS256")
    confused = forge({"alg": "HS256", "typ": "JWT"}, claims(), public_pem(rsa_key))
    hs = jwt.encode(claims(), DEV_SECRET, "HS256")
    async with await _client_for(rs) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            # when
            ok = await gql(c, QUERY, bearer=good)
            bad = [await gql(c, QUERY, bearer=t) for t in (confused, hs)]
    # then
    assert ok["data"]["customers"]["totalCount"] == 0
    assert [code_of(b) for b in bad] == ["UNAUTHENTICATED", "UNAUTHENTICATED"]


class _Jwks(BaseHTTPRequestHandler):
    keys: list[dict[str, Any]] = []  # noqa: RUF012  set per test
    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        body = json.dumps({"keys": self.keys}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def jwks_server(rsa_key: rsa.RSAPrivateKey) -> Iterator[str]:
    """A local JWKS endpoint publishing the test key as kid k1."""
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key.public_key()))
    _Jwks.keys = [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]
    _Jwks.hits = 0
    server = HTTPServer(("127.0.0.1", 0), _Jwks)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/jwks.json"
    server.shutdown()


async def test_jwks_keys_are_fetched_cached_and_unknown_kids_throttled(
    settings, tenants, rsa_key, jwks_server
):
    # given
    rs = load(
        {
            "env": "test",
            "database_url": settings.database_url,
            "app_database_url": settings.app_database_url,
            "jwt_algorithms": ("RS256",),
            "jwt_secret": None,
            "jwks_url": jwks_server,
        }
    )
    good = jwt.encode(claims(), rsa_key, "RS256", headers={"kid": "k1"})
    unknown = jwt.encode(claims(), rsa_key, "RS256", headers={"kid": "k2"})
    async with await _client_for(rs) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            # when
            first = [await gql(c, QUERY, bearer=good) for _ in range(3)]
            hits_after_good = _Jwks.hits
            misses = [await gql(c, QUERY, bearer=unknown) for _ in range(5)]
    # then
    assert all(b["data"]["customers"]["totalCount"] == 0 for b in first)
    assert hits_after_good == 1
    assert all(code_of(b) == "UNAUTHENTICATED" for b in misses)
    assert _Jwks.hits - hits_after_good <= 1  # unknown kid refetch is throttled


def test_settings_refuse_unsafe_configurations(monkeypatch):
    monkeypatch.setenv("JWT_ALGORITHMS", "HS256,RS256")
    with pytest.raises(SettingsError, match="mix"):
        load()
    monkeypatch.setenv("JWT_ALGORITHMS", "HS256")
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", "postgresql://x@localhost/db")
    monkeypatch.delenv("JWT_SECRET", raising=False)
    with pytest.raises(SettingsError, match="JWT_SECRET"):
        load()
    monkeypatch.setenv("JWT_SECRET", DEV_SECRET)
    with pytest.raises(SettingsError, match="real secret"):
        load()
    monkeypatch.setenv("JWT_SECRET", "s" * 40)
    prod = load()
    with pytest.raises(RuntimeError, match="production"):
        issue_dev_token(prod, "acme", ["admin"], "x")
    monkeypatch.setenv("JWT_LEEWAY_SECONDS", "300")
    with pytest.raises(SettingsError, match="LEEWAY"):
        load()


async def test_a_remembered_token_is_not_reverified_but_still_expires(
    settings, runtime, tenants, monkeypatch
):
    verifier = TokenVerifier(settings, runtime)
    bearer = token(settings, ttl=5)
    first = await verifier.verify(bearer)
    assert await verifier.verify(bearer) is first  # the second use skips the signature check
    after_expiry = time.time() + 5 + settings.jwt_leeway_seconds + 1
    monkeypatch.setattr(time, "time", lambda: after_expiry)
    with pytest.raises(AuthError, match="expired"):
        await verifier.verify(bearer)
