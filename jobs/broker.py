"""Pick the broker from BROKER_URL: the same PostgreSQL by default, Redis or RabbitMQ by URL."""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware.asyncio import AsyncIO
from dramatiq_postgres import PostgresBroker

from infra.runtime import database_urls
from infra.settings import Settings
from services.jobs.catalogue import SPECS


def make_broker(settings: Settings) -> dramatiq.Broker:
    """Build (not install) a broker for the settings."""
    url = settings.broker_url
    if url == "postgres":
        _owner, app_url = database_urls(settings)
        ttl = settings.broker_heartbeat_ttl
        broker: dramatiq.Broker = PostgresBroker(
            url=app_url,
            results=False,
            schema="dramatiq",
            heartbeat_ttl=ttl,
            heartbeat_interval=ttl / 4,
            maintenance_interval=ttl / 2,
        )
    elif url.startswith(("redis://", "rediss://", "unix://")):
        broker = RedisBroker(url=url)  # type: ignore[no-untyped-call]  # dramatiq's redis broker is unannotated
    elif url.startswith(("amqp://", "amqps://")):
        broker = RabbitmqBroker(url=url)
    else:
        raise ValueError(f"unsupported BROKER_URL {url!r}: use postgres, redis:// or amqp://")
    broker.add_middleware(AsyncIO())
    return broker


def install(settings: Settings) -> dramatiq.Broker:
    """Make the broker global, with every spec's queue; must run before actors are imported."""
    broker = make_broker(settings)
    dramatiq.set_broker(broker)
    for queue in sorted({spec.queue for spec in SPECS}):
        broker.declare_queue(queue)
    return broker
