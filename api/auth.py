"""Bearer JWT verification: allow-listed algorithms, required claims, bounded leeway."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import jwt
from jwt import PyJWKClient

from domain.roles import ALL_ROLES
from infra.runtime import Runtime
from infra.settings import Settings
from schema.context import Principal

REQUIRED_CLAIMS = ["exp", "iat", "sub", "iss", "aud", "tenant", "roles"]
JWKS_CACHE_SECONDS = 300  #: keys are re-read every five minutes
JWKS_REFETCH_MIN_SECONDS = 30.0  #: an unknown `kid` refetches at most this often


MAX_TOKEN_BYTES = 8192  #: far above any real JWT; a larger one is refused before parsing
#: Registered claims and the JSON types RFC 7519 gives them (a numeric string is not a date).
NUMERIC_CLAIMS = ("exp", "iat", "nbf")
TEXT_CLAIMS = ("sub", "iss", "tenant")

VERIFIED_FOR_SECONDS = 60.0  #: a verified token is re-checked in full after this long
VERIFIED_CACHE_SIZE = 10_000  #: distinct tokens remembered per process


class AuthError(Exception):
    """The token does not authenticate anyone; the message says why (never secret data)."""


class JwksKeys:
    """A JWKS URL read off the event loop, cached, with throttled refetch on unknown kid."""

    def __init__(self, url: str) -> None:
        self.client = PyJWKClient(url, cache_keys=True, lifespan=JWKS_CACHE_SECONDS)
        self._last_refresh = 0.0
        self._lock = asyncio.Lock()

    async def key_for(self, token: str) -> Any:
        """The signing key for a token's kid."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise AuthError("Malformed token") from exc
        kid = header.get("kid")
        if not kid:
            raise AuthError("Token has no key id")
        async with self._lock:
            try:
                return (await asyncio.to_thread(self.client.get_signing_key, kid)).key
            except jwt.PyJWKClientError:
                now = time.monotonic()
                if now - self._last_refresh < JWKS_REFETCH_MIN_SECONDS:
                    raise AuthError("Unknown signing key") from None
                self._last_refresh = now
            try:
                keys = await asyncio.to_thread(self.client.get_signing_keys, True)
            except jwt.PyJWKClientError as exc:
                raise AuthError("Signing keys unavailable") from exc
            for key in keys:
                if key.key_id == kid:
                    return key.key
            raise AuthError("Unknown signing key")


class TokenVerifier:
    """Checks tokens against the settings' algorithms and keys, then resolves the tenant."""

    def __init__(self, settings: Settings, runtime: Runtime) -> None:
        self.settings = settings
        self.runtime = runtime
        self.jwks = JwksKeys(settings.jwks_url) if settings.jwks_url else None
        #: token -> (principal, exp, re-verify after): a client sends the same token with
        #: every request; checking its signature and claims once a minute is enough, while
        #: expiry is still checked on every use.
        self._verified: dict[str, tuple[Principal, float, float]] = {}

    async def _key(self, token: str) -> Any:
        if self.jwks is not None:
            return await self.jwks.key_for(token)
        if self.settings.jwt_public_key:
            return self.settings.jwt_public_key
        return self.settings.jwt_secret

    async def verify(self, token: str) -> Principal:
        """A Principal for a valid token, or AuthError."""
        now = time.time()
        hit = self._verified.get(token)
        if hit is not None and now < hit[2]:
            if now > hit[1] + self.settings.jwt_leeway_seconds:
                raise AuthError("Token expired")
            return hit[0]
        principal, expires = await self._verify(token)
        if len(self._verified) >= VERIFIED_CACHE_SIZE:
            self._verified.clear()
        self._verified[token] = (principal, expires, now + VERIFIED_FOR_SECONDS)
        return principal

    async def _verify(self, token: str) -> tuple[Principal, float]:
        if len(token) > MAX_TOKEN_BYTES:
            raise AuthError("Token too large")
        _check_claim_types(token)
        key = await self._key(token)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=list(self.settings.jwt_algorithms),
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                leeway=self.settings.jwt_leeway_seconds,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError:
            raise AuthError("Token expired") from None
        except jwt.MissingRequiredClaimError as exc:
            raise AuthError(f"Token is missing the {exc.claim!r} claim") from None
        except jwt.InvalidTokenError:
            raise AuthError("Invalid token") from None
        roles = claims.get("roles")
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise AuthError("Token roles must be a list of strings")
        tenant = claims.get("tenant")
        if not isinstance(tenant, str) or not tenant:
            raise AuthError("Token tenant must be a slug")
        tenant_id = await self.runtime.tenant_id(tenant)
        if tenant_id is None:
            raise AuthError("Unknown tenant")
        known = frozenset(roles) & ALL_ROLES
        if not known:
            raise AuthError("Token carries no known role")
        principal = Principal(
            subject=str(claims["sub"]),
            tenant_slug=tenant,
            tenant_id=tenant_id,
            roles=known,
            expires_at=float(claims["exp"]),
        )
        return principal, float(claims["exp"])

    async def from_header(self, header: str | None) -> Principal:
        """Verify an `Authorization: Bearer ...` header."""
        if not header:
            raise AuthError("Authentication required")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthError("Use an Authorization: Bearer <token> header")
        return await self.verify(token.strip())


def _check_claim_types(token: str) -> None:
    """Refuse registered claims of the wrong JSON type before the signature check trusts them.

    PyJWT accepts an `exp` of "1700000000" (a string); RFC 7519 says NumericDate, a number.
    """
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return  # malformed: the verified decode says why
    for name in NUMERIC_CLAIMS:
        value = claims.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise AuthError(f"Token claim {name!r} must be a number")
    for name in TEXT_CLAIMS:
        value = claims.get(name)
        if value is not None and not isinstance(value, str):
            raise AuthError(f"Token claim {name!r} must be a string")
    audience = claims.get("aud")
    if audience is not None and not (
        isinstance(audience, str)
        or (isinstance(audience, list) and all(isinstance(a, str) for a in audience))
    ):
        raise AuthError("Token claim 'aud' must be a string or a list of strings")


def issue_dev_token(
    settings: Settings, tenant: str, roles: list[str], subject: str, ttl: int = 3600
) -> str:
    """A development token signed with the HMAC key; refused in production."""
    if settings.is_production:
        raise RuntimeError("development tokens are refused when APP_ENV=production")
    if settings.jwt_secret is None or not settings.jwt_algorithms[0].startswith("HS"):
        raise RuntimeError("development tokens need an HMAC algorithm and JWT_SECRET")
    unknown = set(roles) - ALL_ROLES
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}; known: {sorted(ALL_ROLES)}")
    now = int(time.time())
    claims = {
        "sub": subject,
        "tenant": tenant,
        "roles": roles,
        "iat": now,
        "exp": now + ttl,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
    }
    return jwt.encode(claims, settings.jwt_secret, algorithm=settings.jwt_algorithms[0])
