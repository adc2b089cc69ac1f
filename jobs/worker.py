"""Worker entry module for `dramatiq jobs.worker`: installs the broker, then the actors."""

from __future__ import annotations

from infra.settings import load
from jobs.broker import install

broker = install(load())

from jobs import actors, webhooks  # noqa: E402,F401  actors register with the broker above
