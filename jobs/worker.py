"""Worker entry module for `dramatiq jobs.worker`: JSON logs, the broker, then the actors."""

from __future__ import annotations

from infra.logs import configure
from infra.settings import load
from jobs.broker import install

settings = load()
# one JSON object a line, like the API: replaces the plain format dramatiq set up in this
# process (WeasyPrint's progress lines stay below INFO, see infra/logs.py)
configure(settings.log_level)
broker = install(settings)

from jobs import actors, webhooks  # noqa: E402,F401  actors register with the broker above
