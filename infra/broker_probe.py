"""Is the job broker reachable? Used by /readyz; blocking, so callers run it in a thread."""

from __future__ import annotations

import socket
from collections.abc import Callable
from urllib.parse import urlsplit

import psycopg

from dbschema.provision import plain


def probe_for(broker_url: str, app_url: str) -> Callable[[], None]:
    """A zero-argument check that raises when the broker cannot be reached."""
    if broker_url == "postgres":

        def check_postgres() -> None:
            with psycopg.connect(plain(app_url), connect_timeout=2) as conn:
                conn.execute("SELECT 1 FROM dramatiq.queue LIMIT 1")

        return check_postgres
    if broker_url.startswith(("redis://", "rediss://", "unix://")):

        def check_redis() -> None:
            import redis

            client = redis.Redis.from_url(broker_url, socket_timeout=2, socket_connect_timeout=2)
            try:
                client.ping()
            finally:
                client.close()

        return check_redis
    if broker_url.startswith(("amqp://", "amqps://")):

        def check_amqp() -> None:
            parts = urlsplit(broker_url)
            with socket.create_connection((parts.hostname or "localhost", parts.port or 5672), 2):
                pass

        return check_amqp
    raise ValueError(f"unsupported BROKER_URL {broker_url!r}")
