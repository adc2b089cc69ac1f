"""Typed settings from environment variables; loud on a missing key, no default secret in prod.

The API, the worker and the scheduler all read configuration through this one module.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEV_SECRET = "dev-only-insecure-signing-key-change-me-0123456789"
_HMAC = {"HS256", "HS384", "HS512"}
_ASYMMETRIC = {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256"}
#: Browser front-ends on these origins may call the API in development: any port of localhost.
DEV_ORIGIN_REGEX = r"https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?"


class SettingsError(RuntimeError):
    """A configuration that must not start."""


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Everything a process needs to know about its environment."""

    env: str = "development"
    data_dir: Path = Path(".data")
    database_url: str | None = None  # owner connection (migrations); None means embedded
    app_database_url: str | None = None  # the non-owner app role; derived when None
    app_db_role: str = "credit_app"
    app_db_password: str | None = None
    broker_url: str = "postgres"  # "postgres" (same database), redis://..., amqp://...
    #: With the PostgreSQL broker, a worker silent this long is dead and its messages go back
    #: to the queue (a job killed midway then runs again elsewhere).
    broker_heartbeat_ttl: float = 60.0
    schedule_tz: str = "UTC"  # IANA zone of the scheduler's daily cron
    jwt_algorithms: tuple[str, ...] = ("HS256",)
    jwt_secret: str | None = DEV_SECRET
    jwt_public_key: str | None = None
    jwks_url: str | None = None
    jwt_issuer: str = "credit-platform"
    jwt_audience: str = "credit-api"
    jwt_leeway_seconds: int = 30
    introspection: bool = True
    graphiql: bool = True
    graphql_fast_path: bool = True  # schema.engine's completion plans; off: graphql-core alone
    max_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2000
    max_page_size: int = 100
    log_level: str = "INFO"
    pool_size: int = 16
    #: Webhooks may target loopback and private addresses: for tests only, refused in production.
    webhooks_allow_private: bool = False
    #: Run only documents the tenant registered (trusted documents / persisted queries).
    trusted_documents_only: bool = False
    #: Query cost analysis and the per-token rate limit (schema/cost_limits.py).
    cost_analysis: bool = True
    #: Registered documents sent by hash answered by one SQL statement when they compile
    #: (schema/engine/compiled.py); off: the standard execution for every document.
    compiled_documents: bool = True
    #: a response's head and body leave in one socket write (api/http_protocol.py)
    coalesce_writes: bool = True
    #: Origins allowed to call the API from a browser (CORS): exact origins, or ("*",).
    cors_origins: tuple[str, ...] = ()
    #: A regular expression of further allowed origins (localhost in development).
    cors_origin_regex: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        """Production refuses development shortcuts (dev tokens, default secrets)."""
        return self.env == "production"


def load(overrides: dict[str, object] | None = None) -> Settings:
    """Read the environment once; raise SettingsError for anything unsafe or unusable."""
    env = os.environ.get("APP_ENV", "development")
    if env not in {"development", "test", "production"}:
        raise SettingsError(f"APP_ENV must be development, test or production, not {env!r}")
    algorithms = tuple(
        a.strip() for a in os.environ.get("JWT_ALGORITHMS", "HS256").split(",") if a.strip()
    )
    unknown = set(algorithms) - _HMAC - _ASYMMETRIC
    if unknown or not algorithms:
        raise SettingsError(f"JWT_ALGORITHMS has unsupported entries: {sorted(unknown)}")
    if set(algorithms) & _HMAC and set(algorithms) & _ASYMMETRIC:
        raise SettingsError("JWT_ALGORITHMS must not mix HMAC with RSA/EC algorithms")
    secret = os.environ.get("JWT_SECRET")
    if set(algorithms) & _HMAC:
        if secret is None:
            if env == "production":
                raise SettingsError("JWT_SECRET is required with an HMAC algorithm in production")
            secret = DEV_SECRET
        if env == "production" and (secret == DEV_SECRET or len(secret) < 32):
            raise SettingsError("JWT_SECRET must be a real secret of 32+ characters in production")
    public_key = os.environ.get("JWT_PUBLIC_KEY")
    if public_key and os.path.isfile(public_key):
        public_key = Path(public_key).read_text()
    jwks_url = os.environ.get("JWKS_URL")
    if set(algorithms) & _ASYMMETRIC and not (public_key or jwks_url):
        raise SettingsError("RS/ES algorithms need JWT_PUBLIC_KEY or JWKS_URL")
    database_url = os.environ.get("DATABASE_URL")
    if env == "production" and not database_url:
        raise SettingsError("DATABASE_URL is required in production")
    leeway = int(os.environ.get("JWT_LEEWAY_SECONDS", "30"))
    if not 0 <= leeway <= 60:
        raise SettingsError("JWT_LEEWAY_SECONDS must be between 0 and 60")
    allow_private = _bool("WEBHOOKS_ALLOW_PRIVATE", False)
    if allow_private and env == "production":
        raise SettingsError("WEBHOOKS_ALLOW_PRIVATE is for tests; it is refused in production")
    origins = tuple(
        o.strip().rstrip("/") for o in os.environ.get("CORS_ORIGINS", "").split(",") if o.strip()
    )
    for origin in origins:
        if origin != "*" and not origin.startswith(("http://", "https://")):
            raise SettingsError(
                f"CORS_ORIGINS entries are origins such as https://x.example: {origin!r}"
            )
        if env == "production" and origin.startswith("http://"):
            raise SettingsError(f"CORS_ORIGINS must be https in production: {origin!r}")
    values: dict[str, object] = dict(
        env=env,
        data_dir=Path(os.environ.get("DATA_DIR", ".data")).absolute(),
        database_url=database_url,
        app_database_url=os.environ.get("APP_DATABASE_URL"),
        app_db_password=os.environ.get("APP_DB_PASSWORD"),
        broker_url=os.environ.get("BROKER_URL", "postgres"),
        broker_heartbeat_ttl=float(os.environ.get("BROKER_HEARTBEAT_TTL", "60")),
        schedule_tz=os.environ.get("SCHEDULE_TZ", "UTC"),
        jwt_algorithms=algorithms,
        jwt_secret=secret if set(algorithms) & _HMAC else None,
        jwt_public_key=public_key,
        jwks_url=jwks_url,
        jwt_issuer=os.environ.get("JWT_ISSUER", "credit-platform"),
        jwt_audience=os.environ.get("JWT_AUDIENCE", "credit-api"),
        jwt_leeway_seconds=leeway,
        introspection=_bool("GRAPHQL_INTROSPECTION", env != "production"),
        graphiql=_bool("GRAPHIQL", env != "production"),
        graphql_fast_path=_bool("GRAPHQL_FAST_PATH", True),
        log_level=os.environ.get("LOG_LEVEL", "INFO"),
        pool_size=int(os.environ.get("DB_POOL_SIZE", "16")),
        cost_analysis=_bool("COST_ANALYSIS", True),
        trusted_documents_only=_bool("TRUSTED_DOCUMENTS_ONLY", False),
        compiled_documents=_bool("COMPILED_DOCUMENTS", True),
        coalesce_writes=_bool("COALESCE_WRITES", True),
        webhooks_allow_private=allow_private,
        cors_origins=origins,
        cors_origin_regex=None if env == "production" else DEV_ORIGIN_REGEX,
    )
    if overrides:
        values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]
